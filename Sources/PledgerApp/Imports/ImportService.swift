import Foundation
import PledgerCore
import PledgerImport
import PledgerStoreInterface

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
        var customers: [StripeCustomer] = []
        var subscriptions: [StripeSubscription] = []
        var payments: [StripePayment] = []
        if let url = request.customers {
            let read = try StripeExport.customers(CSVTable(contentsOf: url))
            customers = read.rows
            note(read.refused, as: "supporters", in: &summary)
        }
        if let url = request.subscriptions {
            let read = try StripeExport.subscriptions(CSVTable(contentsOf: url))
            subscriptions = read.rows
            note(read.refused, as: "pledges", in: &summary)
        }
        if let url = request.payments {
            let read = try StripeExport.payments(CSVTable(contentsOf: url))
            // Oldest first, so a pledge's first payment activates it and refunds follow their payment.
            payments = read.rows.enumerated().sorted {
                ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset)
            }
            .map(\.element)
            note(read.refused, as: "payments", in: &summary)
        }
        let plan = StripeImportPlan(subscriptions: subscriptions)
        let steps: [StripeImportPlan.Step] =
            customers.map { .customer($0) } + subscriptions.map { .subscription($0) } + payments.map { .payment($0) }
            + subscriptions.map { .finalState($0) }
        return try await run(
            steps.map { ImportStep.stripe($0) }, context: ImportContext(plan: plan, processor: Self.stripe),
            request: (request.dryRun, request.batchSize), summary: summary, progress: progress)
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
        let rows = read.rows.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        return try await run(
            rows.map { ImportStep.mapped($0) },
            context: ImportContext(
                plan: StripeImportPlan(subscriptions: []), processor: mapping.processor, columns: mapping.columns),
            request: (request.dryRun, request.batchSize), summary: summary, progress: progress)
    }

    /// Applies the steps in batches of committed transactions, or on a dry run in one transaction
    /// rolled back at the end (the figures are those a real run would give, refusals included).
    private func run(
        _ steps: [ImportStep], context: ImportContext, request: (dryRun: Bool, batchSize: Int),
        summary start: ImportSummary, progress: (@Sendable (ImportProgress) -> Void)?
    ) async throws -> ImportSummary {
        var summary = start
        let now = clock.now
        let total = steps.count
        if request.dryRun {
            do {
                _ = try await store.transaction { session -> Int in
                    var batch = ImportSummary(dryRun: true)
                    for step in steps { try self.apply(step, context: context, session, now: now, into: &batch) }
                    throw DryRunRollback(summary: batch)
                }
            } catch let rollback as DryRunRollback {
                summary.merge(rollback.summary)
            }
            return summary
        }
        var done = 0
        let size = max(1, request.batchSize)
        while done < total {
            let chunk = Array(steps[done..<min(total, done + size)])
            let batch = try await store.transaction { session in
                var batch = ImportSummary(dryRun: false)
                for step in chunk { try self.apply(step, context: context, session, now: now, into: &batch) }
                return batch
            }
            summary.merge(batch)
            summary.batches += 1
            done += chunk.count
            progress?(ImportProgress(done: done, total: total))
        }
        return summary
    }

    private func note(_ refused: [ImportRefusal], as kind: String, in summary: inout ImportSummary) {
        for refusal in refused {
            summary.refusals.append(refusal)
            summary.count(kind, \.refused)
        }
    }

    /// Applies one step in a savepoint: a rule's refusal undoes the step's writes and is reported.
    private func apply(
        _ step: ImportStep, context: ImportContext, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        var local = ImportSummary(dryRun: summary.dryRun)
        do {
            try session.atomically {
                switch step {
                case .stripe(.customer(let customer)): try importCustomer(customer, session, now: now, into: &local)
                case .stripe(.subscription(let subscription)):
                    try importSubscription(subscription, session, now: now, into: &local)
                case .stripe(.payment(let payment)):
                    try importPayment(payment, plan: context.plan, session, now: now, into: &local)
                case .stripe(.finalState(let subscription)):
                    try settleState(subscription, session, now: now, into: &local)
                case .mapped(let donation):
                    try importDonation(donation, processor: context.processor, session, now: now, into: &local)
                }
            }
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

    private func importSubscription(
        _ subscription: StripeSubscription, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        if try !session.pledgeIDs(processor: Self.stripe, refs: [subscription.id]).isEmpty {
            summary.count("pledges", \.skipped)
            return
        }
        let owner = try supporter(
            customerID: subscription.customerID, email: subscription.email, at: subscription.createdAt, session,
            now: now, into: &summary)
        _ = try createPledge(
            supporter: owner, cadence: subscription.cadence, amount: subscription.amount, ref: subscription.id,
            at: subscription.createdAt, session, now: now)
        summary.count("pledges", \.created)
        summary.plan(
            "pledge \(subscription.id): \(subscription.amount) \(subscription.cadence.rawValue), ends \(subscription.status.rawValue)"
        )
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

    private func importPayment(
        _ row: StripePayment, plan: StripeImportPlan, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        guard row.succeeded else {
            summary.notPaid += 1
            return
        }
        let payment: Payment
        if let booked = try session.payment(processor: Self.stripe, externalID: row.externalID) {
            summary.count("payments", \.skipped)
            payment = booked
        } else {
            let pledge = try pledgeFor(row, plan: plan, session, now: now, into: &summary)
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
            for ref in Set([row.chargeID, row.invoiceID].compactMap { $0 }) where ref != row.externalID {
                try session.linkRef(
                    processor: Self.stripe, ref: ref, pledgeID: pledge.id, paymentID: booked.id, at: now)
            }
            if pledge.processor != Self.stripe {
                try session.setPledgeProcessor(pledge.id, processor: Self.stripe, ref: nil)
            }
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
    }

    /// The pledge a charge pays: its customer's subscription for an invoice, else a one-off pledge of its own.
    private func pledgeFor(
        _ row: StripePayment, plan: StripeImportPlan, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws -> Pledge {
        if row.invoiceID != nil {
            guard let subscription = plan.subscription(paying: row) else {
                throw PledgerError.invalid(
                    "invoice_id",
                    "invoice \(row.invoiceID!) of customer \(row.customerID ?? "-") matches no subscription in the subscriptions export (same customer and currency, live on \(Timestamp.format(row.createdAt)))"
                )
            }
            let ids = try session.pledgeIDs(processor: Self.stripe, refs: [subscription.id])
            guard ids.count == 1, let pledge = try session.pledge(id: ids[0]) else {
                throw PledgerError.invalid(
                    "invoice_id", "its subscription \(subscription.id) was not imported (see its own refusal)")
            }
            return pledge
        }
        let owner = try supporter(
            customerID: row.customerID, email: row.email, at: row.createdAt, session, now: now, into: &summary)
        let pledge = try createPledge(
            supporter: owner, cadence: .oneOff, amount: row.amount, ref: row.externalID, at: row.createdAt, session,
            now: now)
        summary.count("pledges", \.created)
        return pledge
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
    private func settleState(
        _ subscription: StripeSubscription, _ session: any StoreTransaction, now: Date,
        into summary: inout ImportSummary
    ) throws {
        let ids = try session.pledgeIDs(processor: Self.stripe, refs: [subscription.id])
        guard ids.count == 1, let pledge = try session.pledge(id: ids[0]) else { return }  // refused earlier
        let target = subscription.status
        guard target != pledge.status else {
            // Only the moves an import makes count: an active pledge is active by its payments.
            if target == .cancelled || target == .pastDue { summary.count("pledge_states", \.skipped) }
            return
        }
        // An active subscription whose payments are not in the export stays pending: nothing was paid here.
        guard target == .cancelled || target == .pastDue,
            pledge.status.canMove(to: target, cadence: pledge.cadence)
        else { return }
        let floor = pledge.firstPaidAt ?? pledge.createdAt
        let wanted = target == .cancelled ? subscription.endedAt : subscription.currentPeriodStart
        _ = try book(.move(pledge: pledge, to: target, at: max(floor, wanted ?? now)), session, now: now)
        summary.count("pledge_states", \.created)
        summary.plan("pledge \(subscription.id) \(target.rawValue)")
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

/// Carries a dry run's figures out of the transaction it rolls back.
struct DryRunRollback: Error {
    let summary: ImportSummary
}
