import Foundation
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks

/// Processor webhooks: each delivery verified on its raw bytes, applied exactly once, kept for review
/// and replay.
public struct WebhookIngestion: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    /// The verifiers, built once from the configured secrets: keying HMAC for every delivery cost as
    /// much as verifying it. A configuration error is kept and reported per delivery.
    let stripeVerifier: Result<StripeSignatureScheme, SignatureError>
    let standardVerifier: Result<StandardWebhooksScheme, SignatureError>
    /// The largest amount a processor's event may book or set.
    let maximums: MaximumAmountPolicy

    init(store: any TransactionalStore, clock: WallClock, settings: WebhookSettings, maximums: MaximumAmountPolicy) {
        self.store = store
        self.clock = clock
        self.maximums = maximums
        stripeVerifier = Result { () throws(SignatureError) in
            try StripeSignatureScheme(secrets: settings.secrets(for: .stripe), tolerance: settings.tolerance)
        }
        standardVerifier = Result { () throws(SignatureError) in
            try StandardWebhooksScheme(secrets: settings.secrets(for: .standard), tolerance: settings.tolerance)
        }
    }

    /// Verifies a delivery on its raw bytes, decodes it, and applies it exactly once: the event row
    /// is written in the same transaction as the ledger rows and state changes it causes.
    /// - Throws: `PledgerError` (`invalid_payload`) for a verified body Pledger cannot read — nothing is stored.
    public func ingest(_ delivery: WebhookDelivery) async throws -> WebhookResult {
        let now = clock.now
        let provider = delivery.provider
        var eventID: String?
        do throws(SignatureError) {
            switch provider {
            case .stripe:
                _ = try stripeVerifier.get()
                    .verify(header: delivery.header("Stripe-Signature"), body: delivery.body, now: now)
            case .standard:
                eventID = try standardVerifier.get().verify(
                    id: delivery.header("webhook-id"), timestamp: delivery.header("webhook-timestamp"),
                    signature: delivery.header("webhook-signature"), body: delivery.body, now: now
                ).id
            }
        } catch {
            return WebhookResult(outcome: .rejected, provider: provider, detail: error.message, error: error)
        }
        let event = try Self.decode(provider: provider, body: delivery.body, eventID: eventID)
        try event.checkIdentifiers(idField: provider == .standard ? "webhook-id" : "id")
        let body = delivery.body
        let bodyHash = Crypto.sha256Hex(body)
        return try await store.transaction { session in
            if let stored = try session.webhookEvent(provider: provider, eventID: event.id) {
                if let conflict = try Self.conflict(session, stored, event: event, body: body, hash: bodyHash, now: now)
                {
                    return conflict
                }
                return WebhookResult(
                    outcome: .duplicate, provider: provider, eventID: event.id, type: event.type,
                    detail: "already received \(Timestamp.format(stored.receivedAt)) (\(stored.outcome.rawValue))")
            }
            let (outcome, detail) = try self.apply(session, event, processor: provider.rawValue, now: now)
            try session.insertWebhookEvent(
                provider: provider, eventID: event.id, type: event.type, payload: body,
                outcome: outcome,
                detail: detail, occurredAt: event.occurredAt, receivedAt: now, bodySHA256: bodyHash)
            return WebhookResult(
                outcome: outcome, provider: provider, eventID: event.id, type: event.type, detail: detail)
        }
    }

    /// Re-applies a stored unmatched event, e.g. once its payment is booked. Exactly-once still
    /// holds: money already booked is not booked again.
    public func replay(eventID: String, provider: WebhookProvider? = nil) async throws -> WebhookResult {
        let now = clock.now
        return try await store.transaction { session in
            let candidates = try session.webhookEvents(eventID: eventID).filter {
                provider == nil || $0.provider == provider
            }
            guard let stored = candidates.first else {
                throw PledgerError(
                    .notFound, code: "event_not_found", field: "event_id", message: "no stored webhook event \(eventID)"
                )
            }
            guard candidates.count == 1 else {
                throw PledgerError.invalid("provider", "event \(eventID) was received from several providers; name one")
            }
            guard stored.outcome == .unmatched else {
                throw PledgerError(
                    .refused, code: "not_replayable", field: "event_id",
                    message: "event \(eventID) is \(stored.outcome.rawValue); only unmatched events are replayed")
            }
            let event = try Self.decode(provider: stored.provider, body: stored.payload, eventID: stored.eventID)
            let (outcome, detail) = try self.apply(session, event, processor: stored.provider.rawValue, now: now)
            try session.updateWebhookOutcome(
                provider: stored.provider, eventID: stored.eventID, outcome: outcome, detail: detail, at: now)
            return WebhookResult(
                outcome: outcome, provider: stored.provider, eventID: event.id, type: event.type, detail: detail)
        }
    }

    /// Stored events, newest first; `conflict` lists the deliveries kept for review.
    public func events(outcome: WebhookOutcome? = nil, limit: Int = 100) async throws -> [StoredWebhookEvent] {
        try PledgerError.checkLimit(limit)
        if outcome == .conflict { return try await store.snapshot { try $0.webhookConflicts(limit: limit) } }
        return try await store.snapshot { try $0.webhookEvents(outcome: outcome, limit: limit) }
    }

    static func decode(provider: WebhookProvider, body: [UInt8], eventID: String?) throws(PledgerError) -> WebhookEvent
    {
        switch provider {
        case .stripe: try StripeEvents.decode(body)
        case .standard: try OwnEvents.decode(body, id: eventID ?? "")
        }
    }

    /// Applies a decoded event inside `session`. A business refusal (a refund beyond what is left,
    /// a currency that does not match) leaves the event unmatched, with its writes undone, for a
    /// person to reconcile; database failures propagate so nothing is stored and the processor retries.
    func apply(_ session: any StoreTransaction, _ event: WebhookEvent, processor: String, now: Date) throws -> (
        WebhookOutcome, String
    ) {
        do {
            return try session.atomically { try applyAction(session, event, processor: processor, now: now) }
        } catch let error as PledgerError {
            return (.unmatched, error.description)
        }
    }

    private func applyAction(_ session: any StoreTransaction, _ event: WebhookEvent, processor: String, now: Date)
        throws -> (
            WebhookOutcome, String
        )
    {
        let at = event.occurredAt ?? now
        func unknownPledge(_ reference: PledgeReference) -> (WebhookOutcome, String) {
            (.unmatched, "no pledge known for \(reference.description.isEmpty ? "this event" : reference.description)")
        }
        func link(_ refs: [String], pledge: Pledge?, payment: Payment?) throws {
            for ref in Set(refs) where !ref.isEmpty {
                try session.linkRef(
                    processor: processor, ref: ref, pledgeID: pledge?.id, paymentID: payment?.id, at: now)
            }
        }
        /// A processor's word on a pledge's state: applied when Core allows the move, else left as it is
        /// (a late "failed" for a pledge already cancelled changes nothing).
        func move(_ reference: PledgeReference, to next: PledgeStatus, done: String) throws -> (WebhookOutcome, String)
        {
            guard let pledge = try resolve(session, reference, processor: processor) else {
                return unknownPledge(reference)
            }
            guard pledge.status.canMove(to: next, cadence: pledge.cadence) else {
                return (.processed, "pledge \(pledge.id) is \(pledge.status.rawValue); left as it is")
            }
            _ = try PledgeService.move(session, pledge, to: next, at: at, now: now)
            return (.processed, "pledge \(pledge.id) \(done)")
        }
        switch event.action {
        case .ignore(let reason):
            return (.ignored, reason)

        case .link(let reference, let refs):
            guard let pledge = try resolve(session, reference, processor: processor) else {
                return unknownPledge(reference)
            }
            try link(reference.processorRefs + refs, pledge: pledge, payment: nil)
            try session.setPledgeProcessor(pledge.id, processor: processor, ref: refs.first)
            return (.processed, "linked \((refs).joined(separator: ", ")) to pledge \(pledge.id)")

        case .payment(let reference, let externalID, let amount, let fee, let linkRefs):
            if let booked = try session.payment(processor: processor, externalID: externalID) {
                let pledge = try booked.pledgeID.flatMap { try session.pledge(id: $0) }
                try link(linkRefs + (reference?.processorRefs ?? []), pledge: pledge, payment: booked)
                return (.processed, "payment \(externalID) was already booked; nothing more to do")
            }
            guard let reference, let pledge = try resolve(session, reference, processor: processor) else {
                return unknownPledge(reference ?? PledgeReference(processorRefs: [externalID]))
            }
            let payment = try PaymentService.bookPayment(
                session, pledge: pledge, processor: processor, externalID: externalID, amount: amount, fee: fee,
                maximums: maximums, at: at, now: now)
            try link(reference.processorRefs + linkRefs, pledge: pledge, payment: payment)
            try session.setPledgeProcessor(pledge.id, processor: processor, ref: nil)
            return (.processed, "booked \(amount) for pledge \(pledge.id) as \(externalID)")

        case .paymentFailed(let reference):
            guard let pledge = try resolve(session, reference, processor: processor) else {
                return unknownPledge(reference)
            }
            if let failed = OutboundEventDraft.paymentFailed(pledge, at: at) {
                _ = try session.appendEvent(failed, recordedAt: now)
            }
            return try move(reference, to: .pastDue, done: "is past due")

        case .refundedTotal(let refs, let chargeID, let total):
            guard let payment = try session.payment(processor: processor, refs: refs) else {
                return (.unmatched, "no payment known for \(refs.joined(separator: ", "))")
            }
            let already = try session.refundedTotal(of: payment)
            guard total.currency == payment.amount.currency else {
                throw PledgerError.invalid(
                    "currency",
                    "refund is in \(total.currency.code), payment \(payment.externalID) in \(payment.amount.currency.code)"
                )
            }
            let newPart = try total.subtracting(already)
            guard newPart.minorUnits > 0 else {
                return (.processed, "\(already) already booked as refunded of \(payment.externalID); nothing new")
            }
            // The cumulative total names the refund, so the same total is never booked twice.
            let externalID = StripeKeys.refund(charge: chargeID, total: total)
            _ = try PaymentService.bookReversal(
                session, payment: payment, kind: .refund, externalID: externalID, amount: newPart, fee: nil, at: at,
                now: now)
            return (.processed, "booked refund of \(newPart) of payment \(payment.externalID)")

        case .refund(let refs, let refundID, let amount), .chargeback(let refs, let refundID, let amount, _):
            let kind: Reversal.Kind
            let fee: Money?
            if case .chargeback(_, _, _, let disputeFee) = event.action {
                (kind, fee) = (.chargeback, disputeFee)
            } else {
                (kind, fee) = (.refund, nil)
            }
            guard let payment = try session.payment(processor: processor, refs: refs) else {
                return (.unmatched, "no payment known for \(refs.joined(separator: ", "))")
            }
            if try session.isBooked(processor: processor, externalID: refundID) {
                return (.processed, "\(kind.rawValue) \(refundID) was already booked; nothing more to do")
            }
            // An import books a charge's one dispute under the charge (the dashboard export has no dispute id).
            if kind == .chargeback,
                let imported = try refs.first(where: {
                    try session.isBooked(processor: processor, externalID: StripeKeys.dispute(charge: $0))
                })
            {
                return (.processed, "the dispute of \(imported) was already booked by an import; nothing more to do")
            }
            _ = try PaymentService.bookReversal(
                session, payment: payment, kind: kind, externalID: refundID, amount: amount, fee: fee, at: at, now: now)
            return (.processed, "booked \(kind.rawValue) of \(amount) of payment \(payment.externalID)")

        case .cancel(let reference):
            return try move(reference, to: .cancelled, done: "cancelled")

        case .update(let reference, let amount, let cadenceState, let pause):
            guard var pledge = try resolve(session, reference, processor: processor) else {
                return unknownPledge(reference)
            }
            var done: [String] = []
            var notes: [String] = []
            var cadence = pledge.cadence
            switch cadenceState {
            case .known(let given) where pledge.cadence.isRecurring: cadence = given
            case .known: break  // a one-off pledge has no interval to change
            case .unknown(let why): notes.append("cadence left \(pledge.cadence.rawValue): \(why)")
            case nil: break
            }
            let newAmount = amount ?? pledge.amount
            if newAmount != pledge.amount || cadence != pledge.cadence {
                let before = pledge
                pledge = try PledgeService.changeTerms(
                    session, pledge, to: newAmount, cadence: cadence, maximums: maximums, at: at, now: now)
                if newAmount != before.amount { done.append("changed from \(before.amount) to \(newAmount)") }
                if cadence != before.cadence {
                    done.append("cadence changed from \(before.cadence.rawValue) to \(cadence.rawValue)")
                }
            }
            // A processor's word on the pause older than the pledge's latest move, or than its
            // latest word on it (events arrive out of order; an old one may be replayed), would undo
            // what came after it: it is left out.
            var stale = try session.latestStatusMove(pledge.id).map { at < $0 } ?? false
            if pause != nil, !stale { stale = try !session.notePauseWord(pledge.id, at: at) }
            if pause != nil, stale {
                done.append("pause state left as it is: the event is older than the pledge's latest move")
            }
            switch stale ? nil : pause {
            case .paused(let resumesAt) where pledge.status == .paused:
                // Another end from the processor (a pause made longer or shorter) replaces the plan.
                if let resumesAt, resumesAt > at, resumesAt != pledge.resumesAt {
                    try session.setPledgeResumesAt(pledge.id, resumesAt)
                    done.append("resumes at \(Timestamp.format(resumesAt))")
                }
            case .paused(let resumesAt) where pledge.status.canMove(to: .paused, cadence: pledge.cadence):
                // An end the processor dates before the pause itself gives no end.
                let end = resumesAt.flatMap { $0 > at ? $0 : nil }
                pledge = try PledgeService.pause(session, pledge, resumesAt: end, at: at, now: now)
                done.append("paused" + (end.map { " until \(Timestamp.format($0))" } ?? ""))
            case .running where pledge.status == .paused:
                pledge = try PledgeService.move(session, pledge, to: .active, at: at, now: now)
                done.append("resumed")
            default:
                break
            }
            let note = notes.map { "; " + $0 }.joined()
            guard !done.isEmpty else {
                return (.processed, "pledge \(pledge.id) is already as the event says; nothing to do" + note)
            }
            return (.processed, "pledge \(pledge.id) " + done.joined(separator: ", ") + note)
        }
    }

    /// The pledge an event names: by Pledger's id, else by exactly one linked processor reference.
    private func resolve(_ session: any StoreTransaction, _ reference: PledgeReference, processor: String) throws
        -> Pledge?
    {
        var found: Pledge?
        if let id = reference.pledgeID, let pledge = try session.pledge(id: id) {
            found = pledge
        } else {
            let ids = try session.pledgeIDs(processor: processor, refs: reference.processorRefs)
            guard ids.count == 1 else { return nil }
            found = try session.pledge(id: ids[0])
        }
        guard let pledge = found else { return nil }
        // A box pledge made without an e-mail learns it from the processor's checkout.
        if pledge.email == nil, let text = reference.payerEmail,
            try SupporterDirectory.adoptEmail(session, supporterID: pledge.supporterID, text)
        {
            return try session.pledge(id: pledge.id)
        }
        return pledge
    }
}
