import Foundation
import PledgerCore
import PledgerImport
import PledgerStoreInterface
import Synchronization

/// Moving in: a publisher's existing supporters, pledges and payment history brought into the ledger
/// from other systems' exports, keyed as the live webhooks key the same objects so that neither
/// creates or books anything twice.
///
/// Every row is applied in a savepoint of its own: a row a rule refuses leaves nothing behind and is
/// reported with its file and line. Rows already imported are skipped, so running the same files
/// again (or after an interruption) changes nothing more.
public struct ImportService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    /// The largest payment or pledge, so that no report's sum can overflow.
    let maximums: MaximumAmountPolicy
    /// Whether runs of a batch's subscription charges are written together (see
    /// ``applyBatch(_:bulk:context:_:now:pledges:into:)``); off, every row takes the per-row path (tests compare the two).
    var bulk = true

    /// The processor Stripe's webhooks book under (the route `POST /v1/webhooks/stripe`).
    static let stripe = WebhookProvider.stripe.rawValue

    /// Reads Stripe's dashboard exports and applies them in batches (or, on a dry run, in one
    /// transaction rolled back at the end).
    /// - Throws: ``ImportRefusal`` for a file that cannot be used at all (unreadable, not CSV, a
    ///   required column missing) — nothing is written.
    public func stripe(
        _ request: StripeImportRequest, progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) async throws -> ImportSummary {
        var summary = ImportSummary(dryRun: request.dryRun)
        // Every file is read and checked (UTF-8, CSV, the header's columns) before anything is written.
        let customerTable = try request.customers.map { url throws(ImportRefusal) in try CSVTable(contentsOf: url) }
        let subscriptionTable = try request.subscriptions.map { url throws(ImportRefusal) in
            try CSVTable(contentsOf: url)
        }
        let paymentTable = try request.payments.map { url throws(ImportRefusal) in try CSVTable(contentsOf: url) }
        try paymentTable?.require(StripeExport.PaymentColumn.required)
        // The charges' values (money, instants, e-mails) are read on another core while the
        // customers and subscriptions are written, and sorted oldest first, so that a pledge's first
        // payment activates it and refunds follow their payment.
        let charges = paymentTable.map { table in
            Task.detached { () throws -> (rows: [StripePayment], refused: [ImportRefusal]) in
                let read = try StripeExport.payments(table)
                return (Self.oldestFirst(read.rows, at: \.createdAt), read.refused)
            }
        }
        var customers: [StripeCustomer] = []
        var subscriptions: [StripeSubscription] = []
        if let table = customerTable {
            let read = try StripeExport.customers(table)
            customers = read.rows
            note(read.refused, as: "supporters", in: &summary)
        }
        if let table = subscriptionTable {
            let read = try StripeExport.subscriptions(table)
            subscriptions = read.rows
            note(read.refused, as: "pledges", in: &summary)
        }
        let readRefusals = summary.refusals.count
        let context = ImportContext(plan: StripeImportPlan(subscriptions: subscriptions), processor: Self.stripe)
        let people = (customers.map { .customer($0) } + subscriptions.map { .subscription($0) }).map {
            ImportStep.stripe($0)
        }
        let finalStates = subscriptions.map { ImportStep.stripe(.finalState($0)) }
        let options = (request.dryRun, request.batchSize)
        func money() async throws -> [ImportStep] {
            guard let read = try await charges?.value else { return [] }
            // The charges' refusals where reading them would have put them: after the other files'.
            var refused = ImportSummary(dryRun: summary.dryRun)
            note(read.refused, as: "payments", in: &refused)
            summary.refusals.insert(contentsOf: refused.refusals, at: readRefusals)
            summary.merge(counts: refused)
            return read.rows.map { .stripe(.payment($0)) }
        }
        if request.dryRun {
            // A dry run is one transaction, rolled back at the end: it waits for the charges first.
            let steps = try await people + money() + finalStates
            return try await run(steps, context: context, request: options, summary: summary, progress: progress)
        }
        let expected = people.count + (paymentTable?.records.count ?? 0) + finalStates.count
        let memory = ImportMemory()
        summary = try await run(
            people, context: context, request: options, summary: summary, progress: progress,
            counted: (0, expected), memory: memory)
        let rest = try await money() + finalStates
        return try await run(
            rest, context: context, request: options, summary: summary, progress: progress,
            counted: (people.count, people.count + rest.count), memory: memory)
    }

    /// Reads any donations export through a TOML mapping and applies it as ``stripe(_:progress:)`` does.
    /// - Throws: ``ImportRefusal`` for a mapping or file that cannot be used at all — nothing is written.
    public func csv(
        _ request: CSVImportRequest, progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) async throws -> ImportSummary {
        let mapping = try ImportMapping(contentsOf: request.mapping)
        let table = try CSVTable(contentsOf: request.file, delimiter: mapping.delimiter)
        let read = try MappedExport.donations(table, mapping: mapping)
        var summary = ImportSummary(dryRun: request.dryRun)
        note(read.refused, as: "payments", in: &summary)
        let rows = Self.oldestFirst(read.rows, at: \.at)
        return try await run(
            rows.map { ImportStep.mapped($0) },
            context: ImportContext(
                plan: StripeImportPlan(subscriptions: []), processor: mapping.processor, columns: mapping.columns),
            request: (request.dryRun, request.batchSize), summary: summary, progress: progress)
    }

    /// Applies the steps in batches of committed transactions, or on a dry run in one transaction
    /// rolled back at the end (the figures are those a real run would give, refusals included).
    /// - Parameter counted: for progress, the rows applied before these steps and the rows in all.
    private func run(
        _ steps: [ImportStep], context: ImportContext, request: (dryRun: Bool, batchSize: Int),
        summary start: ImportSummary, progress: (@Sendable (ImportProgress) -> Void)?,
        counted: (before: Int, total: Int)? = nil, memory: ImportMemory = ImportMemory()
    ) async throws -> ImportSummary {
        var summary = start
        let now = clock.now
        let total = steps.count
        if request.dryRun {
            let saved = memory.pledges.withLock { $0 }
            for bulk in [bulk, false] {
                do {
                    _ = try await store.transaction { session -> Int in
                        var batch = ImportSummary(dryRun: true)
                        try memory.pledges.withLock { pledges in
                            try self.applyBatch(
                                steps[...], bulk: bulk, context: context, session, now: now, pledges: &pledges,
                                into: &batch)
                        }
                        throw DryRunRollback(summary: batch)
                    }
                } catch let rollback as DryRunRollback {
                    summary.merge(rollback.summary)
                    return summary
                } catch is BulkRefused {
                    memory.pledges.withLock { $0 = saved }
                }
            }
            preconditionFailure("a dry run without bulk booking throws no BulkRefused")
        }
        // An import's inserts land all over the payments' and references' indexes: with SQLite's
        // usual cache every batch reads and spills the same pages again. Put back at the end.
        let usualCache = try await store.transaction { session in try session.swapCacheSize(Self.importCache) }
        do {
            summary = try await batches(
                steps, context: context, batchSize: request.batchSize, now: now, memory: memory, summary: summary,
                progress: {
                    progress?(ImportProgress(done: (counted?.before ?? 0) + $0, total: counted?.total ?? total))
                })
        } catch {
            _ = try? await store.transaction { session in try session.swapCacheSize(usualCache) }
            throw error
        }
        _ = try await store.transaction { session in try session.swapCacheSize(usualCache) }
        return summary
    }

    /// The writer's page cache while an import runs: 512 MiB, used only as touched.
    static let importCache = -524_288

    /// The steps in committed transactions of `batchSize` steps each.
    private func batches(
        _ steps: [ImportStep], context: ImportContext, batchSize: Int, now: Date, memory: ImportMemory,
        summary start: ImportSummary, progress: (Int) -> Void
    ) async throws -> ImportSummary {
        var summary = start
        let total = steps.count
        var done = 0
        let size = max(1, batchSize)
        while done < total {
            let chunk = steps[done..<min(total, done + size)]
            func apply(bulk: Bool) async throws -> ImportSummary {
                try await store.transaction { session in
                    var batch = ImportSummary(dryRun: false)
                    try memory.pledges.withLock { pledges in
                        try self.applyBatch(
                            chunk, bulk: bulk, context: context, session, now: now, pledges: &pledges, into: &batch)
                    }
                    return batch
                }
            }
            // What the run remembers as it was before the batch, should the batch be rolled back.
            let saved = memory.pledges.withLock { $0 }
            let batch: ImportSummary
            do {
                batch = try await apply(bulk: bulk)
            } catch is BulkRefused {
                memory.pledges.withLock { $0 = saved }
                batch = try await apply(bulk: false)
            }
            summary.merge(batch)
            summary.batches += 1
            done += chunk.count
            progress(done)
        }
        return summary
    }

    /// Applies a batch's steps in order. With `bulk`, runs of payments that can be booked together
    /// (a subscription's charge whose pledge this run knows, not booked before) are written with
    /// multi-row inserts, their refunds and disputes after them (a reversal moves no pledge, so the
    /// order changes nothing); if the store refuses one, ``BulkRefused`` ends the batch, which is
    /// then applied again without `bulk`: every step row by row in a savepoint of its own, so a bad
    /// row is refused alone.
    private func applyBatch(
        _ steps: ArraySlice<ImportStep>, bulk: Bool, context: ImportContext, _ session: any StoreTransaction,
        now: Date, pledges: inout [String: Pledge], into summary: inout ImportSummary
    ) throws {
        let paid = steps.compactMap { step -> String? in
            guard bulk, case .stripe(.payment(let row)) = step, row.succeeded else { return nil }
            return row.externalID
        }
        var booked = paid.isEmpty ? [] : try session.bookedExternalIDs(processor: Self.stripe, among: paid)
        var people = bulk ? try PeopleBatch(steps, session) : PeopleBatch()
        var run = BulkRun()
        for step in steps {
            if bulk, case .stripe(let stripe) = step {
                switch people.take(stripe, maximums: maximums, now: now) {
                case .perRow: break
                case .skipped(let kind):
                    summary.count(kind, \.skipped)
                    continue
                case .supporter(let entry):
                    run.addSupporter(step, entry)
                    continue
                case .pledge(let subscription, let pledge):
                    run.addPledge(step, subscription: subscription, pledge: pledge)
                    continue
                }
            }
            if bulk, case .stripe(.payment(let row)) = step, !booked.contains(row.externalID),
                let (entry, subscription, pledge) = bulkEntry(row, plan: context.plan, pledges: pledges, run: run)
            {
                run.add(step, entry: entry, subscription: subscription, pledge: pledge, at: row.createdAt)
                if !row.refunded.isZero || !row.disputed.isZero { run.reversing.append((row, entry.payment)) }
                continue
            }
            // A final state of a pledge the run knows is decided on the pledge it remembers: most
            // ask for nothing and need neither a savepoint nor a lookup.
            var known: Pledge?
            if bulk, case .stripe(.finalState(let subscription)) = step,
                let pledge = run.pledges[subscription.id] ?? pledges[subscription.id]
            {
                switch Self.finalMove(subscription, of: pledge, now: now) {
                case .stays: continue
                case .already:
                    summary.count("pledge_states", \.skipped)
                    continue
                case .move: known = pledge
                }
            }
            try flush(&run, context: context, session, now: now, pledges: &pledges, into: &summary)
            try apply(step, context: context, session, now: now, known: known, pledges: &pledges, into: &summary)
            if case .stripe(.payment(let row)) = step { booked.insert(row.externalID) }
        }
        try flush(&run, context: context, session, now: now, pledges: &pledges, into: &summary)
    }

    /// A payment drawn up for the bulk path, or nil when it takes the per-row path: a one-off gift
    /// (its supporter and pledge are made on the way), a pledge the run has not met, a repeated id,
    /// or a rule's refusal (which the per-row path reports).
    private func bulkEntry(_ row: StripePayment, plan: StripeImportPlan, pledges: [String: Pledge], run: BulkRun)
        -> (PaymentEntry, subscription: String, pledge: Pledge)?
    {
        guard row.succeeded, row.invoiceID != nil,
            !run.externalIDs.contains(row.externalID),
            let subscription = plan.subscription(paying: row)?.id,
            let pledge = run.pledges[subscription] ?? pledges[subscription],
            pledge.processor == Self.stripe, !pledge.convertsRemindersOnPayment,
            let transaction = try? PaymentService.draftPayment(
                pledge: pledge, processor: Self.stripe, externalID: row.externalID, amount: row.amount, fee: row.fee,
                maximums: maximums, at: row.createdAt)
        else { return nil }
        let transactionID = ID<LedgerTransaction>.make()
        let payment = Payment(
            id: ID<Payment>.make(), transactionID: transactionID, pledgeID: pledge.id, supporterID: pledge.supporterID,
            cadence: pledge.cadence, processor: Self.stripe, externalID: row.externalID, amount: row.amount,
            fee: row.fee ?? .zero(row.amount.currency), occurredAt: row.createdAt)
        return (
            PaymentEntry(
                transactionID: transactionID, transaction: transaction, payment: payment, refs: Self.refs(of: row)),
            subscription, pledge
        )
    }

    /// Writes the run's payments, then moves their pledges as ``PaymentService`` moves a paid pledge.
    /// No savepoint of its own (each would copy every page it touches aside): the batch's
    /// transaction is the savepoint, and ``BulkRefused`` rolls the whole batch back to be applied
    /// again row by row.
    private func flush(
        _ run: inout BulkRun, context: ImportContext, _ session: any StoreTransaction, now: Date,
        pledges: inout [String: Pledge], into summary: inout ImportSummary
    ) throws {
        guard !run.steps.isEmpty else { return }
        let taken = run
        run = BulkRun()
        var made: [Pledge] = []
        var reversals = ImportSummary(dryRun: summary.dryRun)
        do {
            if !taken.supporters.isEmpty {
                try session.insertSupporters(taken.supporters, processor: Self.stripe, linkedAt: now)
            }
            if !taken.newPledges.isEmpty {
                made = try session.insertPledges(taken.newPledges.map(\.pledge), linkedAt: now)
                guard made.count == taken.newPledges.count else {
                    throw PledgerError.invalid("subscription", "a pledge written was not read back")
                }
            }
            try session.insertPayments(taken.entries, recordedAt: now)
            for (pledge, at) in taken.settles {
                _ = try PaymentService.settlePaidPledge(session, pledge, at: at)
            }
            // Refunds and disputes after their payments, each as the per-row path books it.
            for (row, payment) in taken.reversing {
                if !row.refunded.isZero {
                    try importRefund(row, payment: payment, session, now: now, into: &reversals)
                }
                if !row.disputed.isZero, let disputedAt = row.disputedAt {
                    try importDispute(row, payment: payment, at: disputedAt, session, now: now, into: &reversals)
                }
            }
        } catch {
            throw BulkRefused(error: error)
        }
        for (subscription, pledge) in zip(taken.newPledges.map(\.subscription), made) { pledges[subscription] = pledge }
        for (subscription, pledge) in taken.pledges { pledges[subscription] = pledge }
        for note in taken.notes {
            summary.count(note.kind, \.created)
            summary.plan(note.plan)
        }
        for entry in taken.entries {
            summary.count("payments", \.created)
            let payment = entry.payment
            summary.plan(
                "payment \(payment.externalID): \(payment.amount)\(payment.fee.isZero ? "" : " (fee \(payment.fee))") on \(Timestamp.format(payment.occurredAt))"
            )
        }
        summary.merge(reversals)
    }

    /// `rows` by their instant, rows of the same instant in file order. Sorts positions rather than
    /// the rows themselves (a million charges are large values to move).
    static func oldestFirst<Row>(_ rows: [Row], at instant: KeyPath<Row, Date>) -> [Row] {
        let instants = rows.map { $0[keyPath: instant] }
        let order = instants.indices.sorted { (instants[$0], $0) < (instants[$1], $1) }
        return order.map { rows[$0] }
    }

    private func note(_ refused: [ImportRefusal], as kind: String, in summary: inout ImportSummary) {
        for refusal in refused {
            summary.refusals.append(refusal)
            summary.count(kind, \.refused)
        }
    }

    /// Applies one step in a savepoint: a rule's refusal undoes the step's writes and is reported.
    /// The run's memory of a pledge changes only once its step has been applied.
    /// - Parameter known: for a final state, the pledge as the run remembers it (else it is read).
    private func apply(
        _ step: ImportStep, context: ImportContext, _ session: any StoreTransaction, now: Date, known: Pledge? = nil,
        pledges: inout [String: Pledge], into summary: inout ImportSummary
    ) throws {
        var local = ImportSummary(dryRun: summary.dryRun)
        do {
            let remembered = try session.atomically { () throws -> (ref: String, pledge: Pledge?)? in
                switch step {
                case .stripe(.customer(let customer)):
                    try importCustomer(customer, session, now: now, into: &local)
                    return nil
                case .stripe(.subscription(let subscription)):
                    return try importSubscription(subscription, session, now: now, into: &local)
                        .map { (subscription.id, $0) }
                case .stripe(.payment(let payment)):
                    return try importPayment(
                        payment, plan: context.plan, session, now: now, pledges: pledges, into: &local)
                case .stripe(.finalState(let subscription)):
                    try settleState(subscription, known: known, session, now: now, into: &local)
                    return (subscription.id, nil)  // its state is the ledger's now
                case .mapped(let donation):
                    try importDonation(donation, processor: context.processor, session, now: now, into: &local)
                    return nil
                }
            }
            if let remembered { pledges[remembered.ref] = remembered.pledge }
            summary.merge(local)
        } catch let error as PledgerError {
            switch step {
            case .stripe(let stripe):
                summary.refusals.append(stripe.source.refusal(error, column: stripe.column(for: error)))
                summary.count(stripe.kind, \.refused)
            case .mapped(let donation):
                summary.refusals.append(donation.source.refusal(error, column: context.columns[error.field ?? ""]))
                summary.count("payments", \.refused)
            }
        }
    }

    // MARK: Supporters and pledges

    private func importCustomer(
        _ customer: StripeCustomer, _ session: any StoreTransaction, now: Date, into summary: inout ImportSummary
    ) throws {
        if try session.supporterID(processor: Self.stripe, ref: customer.id) != nil {
            summary.count("supporters", \.skipped)
            return
        }
        _ = try supporter(
            customerID: customer.id, email: customer.email,
            at: customer.createdAt == .distantPast ? now : customer.createdAt, session, now: now, into: &summary)
    }

    /// The supporter a Stripe customer id (then an e-mail) names, created when neither is known.
    private func supporter(
        customerID: String?, email: EmailAddress?, at: Date, processor: String = Self.stripe,
        _ session: any StoreTransaction, now: Date, into summary: inout ImportSummary
    ) throws -> (id: ID<Supporter>, email: String?) {
        if let customerID, let id = try session.supporterID(processor: processor, ref: customerID) {
            return (id, email?.value)
        }
        if customerID == nil, email == nil {
            throw PledgerError.invalid("customer_id", "the row names neither a customer id nor an e-mail")
        }
        let id: ID<Supporter>
        if let email, let known = try session.supporter(email: email.value) {
            // Someone the site already recorded (or another Stripe customer with the same e-mail): one person.
            id = known.id
            summary.plan("link \(processor) supporter \(customerID ?? "-") to the one known as \(email)")
        } else {
            id = ID<Supporter>.make()
            try session.insertSupporter(id: id, email: email?.value, externalRef: nil, at: at)
            summary.plan("supporter \(customerID ?? "-") \(email?.value ?? "(no e-mail)")")
        }
        if let customerID {
            try session.linkSupporterRef(processor: processor, ref: customerID, supporterID: id, at: now)
        }
        summary.count("supporters", \.created)
        return (id, email?.value)
    }

    /// - Returns: the pledge created, nil when the subscription was imported before.
    private func importSubscription(
        _ subscription: StripeSubscription, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws -> Pledge? {
        if try !session.pledgeIDs(processor: Self.stripe, refs: [subscription.id]).isEmpty {
            summary.count("pledges", \.skipped)
            return nil
        }
        let owner = try supporter(
            customerID: subscription.customerID, email: subscription.email, at: subscription.createdAt, session,
            now: now, into: &summary)
        let pledge = try createPledge(
            supporter: owner, cadence: subscription.cadence, amount: subscription.amount, ref: subscription.id,
            at: subscription.createdAt, session, now: now)
        summary.count("pledges", \.created)
        summary.plan(
            "pledge \(subscription.id): \(subscription.amount) \(subscription.cadence.rawValue), ends \(subscription.status.rawValue)"
        )
        return pledge
    }

    /// Inserts a pending pledge linked to its Stripe reference, as a subscription checkout's webhook links one.
    private func createPledge(
        supporter: (id: ID<Supporter>, email: String?), cadence: Cadence, amount: Money, ref: String, at: Date,
        processor: String = Self.stripe, _ session: any StoreTransaction, now: Date
    ) throws -> Pledge {
        try maximums.check(amount)
        let pledge = Pledge(
            id: ID<Pledge>.make(), supporterID: supporter.id, email: supporter.email, externalRef: nil,
            cadence: cadence, amount: amount, status: .pending, source: "\(processor)-import", processor: processor,
            processorRef: ref, createdAt: at, firstPaidAt: nil, cancelledAt: nil)
        try session.insertPledge(pledge)
        try session.linkRef(processor: processor, ref: ref, pledgeID: pledge.id, paymentID: nil, at: now)
        return try session.pledge(id: pledge.id)!
    }

    // MARK: Money

    /// - Returns: the subscription's pledge as the payment left it, for the run's memory; nil for
    ///   a one-off gift or a payment imported before.
    private func importPayment(
        _ row: StripePayment, plan: StripeImportPlan, _ session: any StoreTransaction, now: Date,
        pledges: [String: Pledge], into summary: inout ImportSummary
    ) throws -> (ref: String, pledge: Pledge?)? {
        guard row.succeeded else {
            summary.notPaid += 1
            return nil
        }
        let payment: Payment
        var remembered: (ref: String, pledge: Pledge?)?
        if let booked = try session.payment(processor: Self.stripe, externalID: row.externalID) {
            summary.count("payments", \.skipped)
            payment = booked
        } else {
            let (pledge, subscription) = try pledgeFor(
                row, plan: plan, session, now: now, pledges: pledges, into: &summary)
            guard
                case .payment(let booked) = try book(
                    .payment(
                        pledge: pledge, processor: Self.stripe, externalID: row.externalID, amount: row.amount,
                        fee: row.fee, at: row.createdAt),
                    session, now: now)
            else { preconditionFailure("a payment booking books a payment") }
            payment = booked
            // The references later events name this money and its pledge by, as the webhooks link them.
            // The external id itself needs no link; the charge and invoice do, as invoice.paid links them.
            for ref in Self.refs(of: row) {
                try session.linkRef(
                    processor: Self.stripe, ref: ref, pledgeID: pledge.id, paymentID: booked.id, at: now)
            }
            if pledge.processor != Self.stripe {
                try session.setPledgeProcessor(pledge.id, processor: Self.stripe, ref: nil)
            }
            if let subscription { remembered = (subscription, Self.paid(pledge, at: row.createdAt)) }
            summary.count("payments", \.created)
            summary.plan(
                "payment \(row.externalID): \(row.amount)\(row.fee.map { " (fee \($0))" } ?? "") on \(Timestamp.format(row.createdAt))"
            )
        }
        if !row.refunded.isZero {
            try importRefund(row, payment: payment, session, now: now, into: &summary)
        }
        if !row.disputed.isZero, let disputedAt = row.disputedAt {
            try importDispute(row, payment: payment, at: disputedAt, session, now: now, into: &summary)
        }
        return remembered
    }

    /// The charge and invoice a payment is linked by (its external id needs no link of its own).
    static func refs(of row: StripePayment) -> [String] {
        var refs: [String] = []
        for ref in [row.chargeID, row.invoiceID].compactMap({ $0 }) where ref != row.externalID && !refs.contains(ref) {
            refs.append(ref)
        }
        return refs
    }

    /// A pledge as booking a payment at `at` leaves it (``PaymentService/bookPayment``): moved on
    /// from pending or past due, its first payment stamped, its processor Stripe unless it had one.
    static func paid(_ pledge: Pledge, at: Date) -> Pledge {
        var paid = pledge
        if let next = pledge.status.afterPayment(cadence: pledge.cadence) { paid.status = next }
        if paid.firstPaidAt == nil { paid.firstPaidAt = at }
        if paid.processor == nil { paid.processor = stripe }
        return paid
    }

    /// The pledge a charge pays: its customer's subscription for an invoice (from the run's memory
    /// when this run has met it), else a one-off pledge of its own; and the subscription's id.
    private func pledgeFor(
        _ row: StripePayment, plan: StripeImportPlan, _ session: any StoreTransaction, now: Date,
        pledges: [String: Pledge], into summary: inout ImportSummary
    ) throws -> (Pledge, subscription: String?) {
        if row.invoiceID != nil {
            guard let subscription = plan.subscription(paying: row) else {
                throw PledgerError.invalid(
                    "invoice_id",
                    "invoice \(row.invoiceID!) of customer \(row.customerID ?? "-") matches no subscription in the subscriptions export (same customer and currency, live on \(Timestamp.format(row.createdAt)))"
                )
            }
            if let known = pledges[subscription.id] { return (known, subscription.id) }
            let ids = try session.pledgeIDs(processor: Self.stripe, refs: [subscription.id])
            guard ids.count == 1, let pledge = try session.pledge(id: ids[0]) else {
                throw PledgerError.invalid(
                    "invoice_id", "its subscription \(subscription.id) was not imported (see its own refusal)")
            }
            return (pledge, subscription.id)
        }
        let owner = try supporter(
            customerID: row.customerID, email: row.email, at: row.createdAt, session, now: now, into: &summary)
        let pledge = try createPledge(
            supporter: owner, cadence: .oneOff, amount: row.amount, ref: row.externalID, at: row.createdAt, session,
            now: now)
        summary.count("pledges", \.created)
        return (pledge, nil)
    }

    private func importRefund(
        _ row: StripePayment, payment: Payment, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        // Keyed and measured as `charge.refunded` is: by the cumulative total, booking only what is new.
        let already = try session.refundedTotal(of: payment)
        let newPart = try row.refunded.subtracting(already)
        guard try !session.isBooked(processor: Self.stripe, externalID: row.refundKey), newPart.minorUnits > 0 else {
            summary.count("refunds", \.skipped)
            return
        }
        // The payments export gives no refund date: the refund is booked at the charge's time.
        _ = try book(
            .reversal(payment: payment, kind: .refund, externalID: row.refundKey, amount: newPart, at: row.createdAt),
            session, now: now)
        summary.count("refunds", \.created)
        summary.plan("refund of \(newPart) of \(row.externalID)")
    }

    private func importDispute(
        _ row: StripePayment, payment: Payment, at: Date, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        // A charge is disputed once: a chargeback already booked against it (by the import or by a
        // `charge.dispute.created` webhook under its dp_… id) is this dispute.
        let chargedBack = try session.reversedTotal(of: payment).subtracting(session.refundedTotal(of: payment))
        guard try !session.isBooked(processor: Self.stripe, externalID: row.disputeKey), chargedBack.isZero else {
            summary.count("chargebacks", \.skipped)
            return
        }
        _ = try book(
            .reversal(payment: payment, kind: .chargeback, externalID: row.disputeKey, amount: row.disputed, at: at),
            session, now: now)
        summary.count("chargebacks", \.created)
        summary.plan("chargeback of \(row.disputed) of \(row.externalID)")
    }

    // MARK: Any export, through a mapping

    /// One row of a mapped export: its supporter and pledge found or created, its payment (and, for a
    /// refunded row, its refund) booked once under the mapping's processor.
    private func importDonation(
        _ row: MappedDonation, processor: String, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        guard row.status != .skip else {
            summary.notPaid += 1
            return
        }
        let payment: Payment
        if let booked = try session.payment(processor: processor, externalID: row.externalID) {
            summary.count("payments", \.skipped)
            payment = booked
        } else {
            let owner = try supporter(
                customerID: row.supporterRef, email: row.email, at: row.at, processor: processor, session, now: now,
                into: &summary)
            // A recurring donor's payments share one pledge: the export's id for it, else one per
            // supporter, cadence and currency. A one-off gift is a pledge of its own.
            let ref =
                row.cadence.isRecurring
                ? row.pledgeRef
                    ?? "\(row.supporterRef ?? row.email.value):\(row.cadence.rawValue):\(row.amount.currency)"
                : row.externalID
            let known = try session.pledgeIDs(processor: processor, refs: [ref])
            let pledge: Pledge
            if known.count == 1, let found = try session.pledge(id: known[0]) {
                pledge = found
            } else {
                pledge = try createPledge(
                    supporter: owner, cadence: row.cadence, amount: row.amount, ref: ref, at: row.at,
                    processor: processor, session, now: now)
                summary.count("pledges", \.created)
                summary.plan("pledge \(ref): \(row.amount) \(row.cadence.rawValue) for \(row.email)")
            }
            guard
                case .payment(let booked) = try book(
                    .payment(
                        pledge: pledge, processor: processor, externalID: row.externalID, amount: row.amount,
                        fee: row.fee, at: row.at),
                    session, now: now)
            else { preconditionFailure("a payment booking books a payment") }
            try session.linkRef(
                processor: processor, ref: row.externalID, pledgeID: pledge.id, paymentID: booked.id, at: now)
            payment = booked
            summary.count("payments", \.created)
            summary.plan("payment \(row.externalID): \(row.amount) on \(Timestamp.format(row.at))")
        }
        guard row.status == .refunded else { return }
        let key = "\(row.externalID):refunded"
        guard try !session.isBooked(processor: processor, externalID: key) else {
            summary.count("refunds", \.skipped)
            return
        }
        _ = try book(
            .reversal(payment: payment, kind: .refund, externalID: key, amount: payment.amount, at: row.at), session,
            now: now)
        summary.count("refunds", \.created)
        summary.plan("refund of \(payment.amount) of \(row.externalID)")
    }

    // MARK: States

    /// Moves an imported pledge to the state Stripe reports, once its payments are booked.
    /// - Parameter known: the pledge as the run remembers it; nil to read it from the ledger.
    private func settleState(
        _ subscription: StripeSubscription, known: Pledge?, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        let pledge: Pledge
        if let known {
            pledge = known
        } else {
            let ids = try session.pledgeIDs(processor: Self.stripe, refs: [subscription.id])
            guard ids.count == 1, let found = try session.pledge(id: ids[0]) else { return }  // refused earlier
            pledge = found
        }
        switch Self.finalMove(subscription, of: pledge, now: now) {
        case .stays: return
        case .already: summary.count("pledge_states", \.skipped)
        case .move(let target, let at):
            _ = try book(.move(pledge: pledge, to: target, at: at), session, now: now)
            summary.count("pledge_states", \.created)
            summary.plan("pledge \(subscription.id) \(target.rawValue)")
        }
    }

    /// What the state Stripe reports for a subscription asks of its pledge.
    enum FinalMove: Equatable {
        /// Nothing, and nothing to count: an active pledge is active by its payments, and an
        /// active subscription whose payments are not in the export stays pending (nothing was paid here).
        case stays
        /// Nothing: the pledge is already cancelled or past due (counted as skipped).
        case already
        /// A move to cancelled or past due, at the subscription's end (or period start), never
        /// before the pledge's first payment or creation.
        case move(PledgeStatus, at: Date)
    }

    static func finalMove(_ subscription: StripeSubscription, of pledge: Pledge, now: Date) -> FinalMove {
        let target = subscription.status
        guard target != pledge.status else {
            // Only the moves an import makes count.
            return target == .cancelled || target == .pastDue ? .already : .stays
        }
        guard target == .cancelled || target == .pastDue,
            pledge.status.canMove(to: target, cadence: pledge.cadence)
        else { return .stays }
        let floor = pledge.firstPaidAt ?? pledge.createdAt
        let wanted = target == .cancelled ? subscription.endedAt : subscription.currentPeriodStart
        return .move(target, at: max(floor, wanted ?? now))
    }

    // MARK: The one place an import books

    /// What an import books: payments, refunds and chargebacks, and pledge state moves.
    enum Booking {
        case payment(pledge: Pledge, processor: String, externalID: String, amount: Money, fee: Money?, at: Date)
        case reversal(payment: Payment, kind: Reversal.Kind, externalID: String, amount: Money, at: Date)
        case move(pledge: Pledge, to: PledgeStatus, at: Date)
    }

    enum Booked {
        case payment(Payment)
        case reversal(Reversal)
        case pledge(Pledge)
    }

    /// Every booking an import makes goes through here, onto the same functions the live paths use, so
    /// the ledger's rules hold. Imported history is not news: it announces no event (no mailer thanks a
    /// reader for last year's gift again) and takes no receipt number (the processor receipted it).
    func book(_ booking: Booking, _ session: any StoreTransaction, now: Date) throws -> Booked {
        switch booking {
        case .payment(let pledge, let processor, let externalID, let amount, let fee, let at):
            return .payment(
                try PaymentService.bookPayment(
                    session, pledge: pledge, processor: processor, externalID: externalID, amount: amount, fee: fee,
                    maximums: maximums, at: at, now: now, announce: false))
        case .reversal(let payment, let kind, let externalID, let amount, let at):
            return .reversal(
                try PaymentService.bookReversal(
                    session, payment: payment, kind: kind, externalID: externalID, amount: amount, fee: nil, at: at,
                    now: now, announce: false))
        case .move(let pledge, let next, let at):
            return .pledge(try PledgeService.move(session, pledge, to: next, at: at, now: now, announce: false))
        }
    }
}

/// One unit of an import's work, applied or refused whole.
enum ImportStep: Sendable {
    case stripe(StripeImportPlan.Step)
    case mapped(MappedDonation)
}

/// What every step of one import shares.
struct ImportContext: Sendable {
    let plan: StripeImportPlan
    /// The name the import books under.
    let processor: String
    /// A mapping's field → the export's column, to name the column a rule's refusal is about.
    var columns: [String: String] = [:]
}

/// What a run remembers across its batches (applied one at a time): the pledges of the Stripe
/// subscriptions it has met, by subscription id, as the ledger holds them, so that a payment needs
/// no lookup of its pledge. Changed only after the step that changed the ledger was applied.
final class ImportMemory: Sendable {
    let pledges = Mutex<[String: Pledge]>([:])
}

/// Supporters, pledges and payments waiting to be written together, in the order of their steps.
struct BulkRun {
    var steps: [ImportStep] = []
    var supporters: [SupporterEntry] = []
    /// New pledges, pending, by their subscription's id.
    var newPledges: [(subscription: String, pledge: Pledge)] = []
    /// What the summary counts and lists for the supporters and pledges, in order.
    var notes: [(kind: String, plan: String)] = []
    var entries: [PaymentEntry] = []
    var externalIDs: Set<String> = []
    /// The pledges as these payments leave them, by subscription id.
    var pledges: [String: Pledge] = [:]
    /// Each payment's pledge as it stood before it, and the payment's instant.
    var settles: [(Pledge, Date)] = []
    /// The charges among these with a refund or dispute to book once their payments are written.
    var reversing: [(row: StripePayment, payment: Payment)] = []

    mutating func addSupporter(_ step: ImportStep, _ entry: SupporterEntry) {
        steps.append(step)
        supporters.append(entry)
        notes.append(("supporters", "supporter \(entry.ref) \(entry.email ?? "(no e-mail)")"))
    }

    mutating func addPledge(_ step: ImportStep, subscription: StripeSubscription, pledge: Pledge) {
        steps.append(step)
        newPledges.append((subscription.id, pledge))
        notes.append(
            (
                "pledges",
                "pledge \(subscription.id): \(subscription.amount) \(subscription.cadence.rawValue), ends \(subscription.status.rawValue)"
            ))
    }

    mutating func add(_ step: ImportStep, entry: PaymentEntry, subscription: String, pledge: Pledge, at: Date) {
        steps.append(step)
        entries.append(entry)
        externalIDs.insert(entry.payment.externalID)
        settles.append((pledge, at))
        pledges[subscription] = ImportService.paid(pledge, at: at)
    }
}

/// What a batch's customers and subscriptions need to be written together: read once for the batch
/// (the ledger as the batch found it), and kept up to date with what the batch drafts. A step whose
/// customer, e-mail or subscription an earlier step of the batch already named takes the per-row
/// path, as does one that needs a lookup the batch did not make, or that a rule would refuse.
struct PeopleBatch {
    /// Customer id → supporter: in the ledger when the batch began, or drafted by the batch.
    var supporters: [String: ID<Supporter>] = [:]
    /// E-mails a supporter had when the batch began.
    var emails: Set<String> = []
    /// Subscriptions with a pledge when the batch began.
    var pledged: Set<String> = []
    var seenCustomers: Set<String> = []
    var seenEmails: Set<String> = []
    var seenSubscriptions: Set<String> = []

    enum Outcome {
        case perRow
        case skipped(String)
        case supporter(SupporterEntry)
        case pledge(StripeSubscription, Pledge)
    }

    init() {}

    init(_ steps: ArraySlice<ImportStep>, _ session: any StoreTransaction) throws {
        var customers: [String] = []
        var emails: [String] = []
        var subscriptions: [String] = []
        for step in steps {
            switch step {
            case .stripe(.customer(let customer)):
                customers.append(customer.id)
                if let email = customer.email { emails.append(email.value) }
            case .stripe(.subscription(let subscription)):
                subscriptions.append(subscription.id)
                if let customer = subscription.customerID { customers.append(customer) }
            default: break
            }
        }
        if !customers.isEmpty {
            supporters = try session.supporterIDs(processor: ImportService.stripe, refs: Array(Set(customers)))
        }
        if !emails.isEmpty { self.emails = try session.knownEmails(among: Array(Set(emails))) }
        if !subscriptions.isEmpty {
            pledged = try session.pledgeRefs(processor: ImportService.stripe, among: Array(Set(subscriptions)))
        }
    }

    /// What the bulk path does with a step: as ``ImportService``'s per-row path would, or leaves it to that path.
    mutating func take(_ step: StripeImportPlan.Step, maximums: MaximumAmountPolicy, now: Date) -> Outcome {
        switch step {
        case .customer(let customer):
            let (firstID, firstEmail) = (
                seenCustomers.insert(customer.id).inserted, customer.email.map { seenEmails.insert($0.value).inserted }
            )
            guard firstID else { return .perRow }
            if supporters[customer.id] != nil { return .skipped("supporters") }
            if let email = customer.email, firstEmail == false || emails.contains(email.value) { return .perRow }
            let entry = SupporterEntry(
                id: ID<Supporter>.make(), email: customer.email?.value, ref: customer.id,
                createdAt: customer.createdAt == .distantPast ? now : customer.createdAt)
            supporters[customer.id] = entry.id
            return .supporter(entry)
        case .subscription(let subscription):
            guard seenSubscriptions.insert(subscription.id).inserted else { return .perRow }
            if pledged.contains(subscription.id) { return .skipped("pledges") }
            guard let customer = subscription.customerID, let owner = supporters[customer],
                (try? maximums.check(subscription.amount)) != nil
            else { return .perRow }
            let pledge = Pledge(
                id: ID<Pledge>.make(), supporterID: owner, email: subscription.email?.value, externalRef: nil,
                cadence: subscription.cadence, amount: subscription.amount, status: .pending,
                source: "\(ImportService.stripe)-import", processor: ImportService.stripe,
                processorRef: subscription.id,
                createdAt: subscription.createdAt, firstPaidAt: nil, cancelledAt: nil)
            return .pledge(subscription, pledge)
        case .payment, .finalState: return .perRow
        }
    }
}

/// The store refused a bulk write: the batch is rolled back and applied again row by row.
struct BulkRefused: Error {
    let error: any Error
}

/// Carries a dry run's figures out of the transaction it rolls back.
struct DryRunRollback: Error {
    let summary: ImportSummary
}
