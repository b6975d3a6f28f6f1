import Foundation
import PledgerCore
import PledgerStoreInterface

/// Money in and back: payments booked in the ledger, and the refunds and chargebacks against them.
public struct PaymentService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    /// The processor named on payments recorded by hand.
    let defaultProcessor: String
    /// The largest payment, so that no report's sum can overflow.
    let maximums: MaximumAmountPolicy

    /// Books a payment (and its fee) in the ledger and moves the pledge: pending → active or
    /// completed, past due → active. The same external id from the same processor is refused.
    public func record(_ request: PaymentRequest) async throws -> Payment {
        let processor = try Bookkeeping.checkProcessor(request.processor ?? defaultProcessor)
        let externalID = try Bookkeeping.checkExternalID(request.externalID)
        let at = try clock.instant(request.at)
        let now = clock.now
        return try await store.transaction { session in
            var pledge: Pledge?
            if let id = request.pledgeID {
                guard let found = try session.pledge(id: id) else { throw PledgerError.notFound("pledge", id) }
                pledge = found
            }
            if let booked = try session.payment(processor: processor, externalID: externalID) {
                throw PledgerError(
                    .conflict, code: "already_booked", field: "external_id",
                    message:
                        "\(processor) payment \(externalID) is already booked (\(booked.amount) on \(Timestamp.format(booked.occurredAt)))"
                )
            }
            return try Self.bookPayment(
                session, pledge: pledge, processor: processor, externalID: externalID, amount: request.amount,
                fee: request.fee, maximums: maximums, at: at, now: now)
        }
    }

    /// A payment's checks and its balanced ledger transaction, before anything is written: more
    /// than zero, within the maximum, a fee in the payment's currency and not above it, the
    /// pledge's currency. The one drawing of a payment, for ``bookPayment`` and an import's bulk path.
    static func draftPayment(
        pledge: Pledge?, processor: String, externalID: String, amount: Money, fee: Money?,
        maximums: MaximumAmountPolicy, at: Date
    ) throws -> LedgerTransaction {
        guard amount.minorUnits > 0 else { throw PledgerError.invalid("amount", "must be more than zero") }
        try maximums.check(amount)
        if let fee {
            guard fee.currency == amount.currency else {
                throw PledgerError.invalid(
                    "fee", "is in \(fee.currency.code) but the payment is in \(amount.currency.code)")
            }
            guard fee.minorUnits <= amount.minorUnits else {
                throw PledgerError.invalid("fee", "\(fee) is more than the payment \(amount)")
            }
        }
        if let pledge, pledge.amount.currency != amount.currency {
            throw PledgerError.invalid(
                "currency",
                "pledge \(pledge.id) is in \(pledge.amount.currency.code), the payment in \(amount.currency.code)")
        }
        let postings = try Bookkeeping.payment(
            gross: amount, fee: fee, cadence: pledge?.cadence ?? .oneOff, processor: processor)
        return try LedgerTransaction(
            kind: .payment, processor: processor, externalID: externalID, occurredAt: at, postings: postings)
    }

    /// Books a payment inside `session`: the ledger transaction, the payment row, its receipt
    /// number, the pledge's move, and the events that announce them.
    /// - Parameter announce: false for history brought in by an import: it was receipted where it
    ///   happened and is not news, so it takes no receipt number and writes no event.
    static func bookPayment(
        _ session: any LedgerWriter & PledgeRecords & ReminderRecords & OutboxRecords & LinkRecords, pledge: Pledge?,
        processor: String,
        externalID: String, amount: Money, fee: Money?, maximums: MaximumAmountPolicy, at: Date, now: Date,
        announce: Bool = true
    ) throws -> Payment {
        let transaction = try draftPayment(
            pledge: pledge, processor: processor, externalID: externalID, amount: amount, fee: fee,
            maximums: maximums, at: at)
        try Self.checkUnused(session, processor: processor, externalID: externalID)
        let cadence = pledge?.cadence ?? .oneOff
        let transactionID = try session.insertLedgerTransaction(transaction, recordedAt: now)
        let payment = Payment(
            id: ID<Payment>.make(), transactionID: transactionID, pledgeID: pledge?.id,
            supporterID: pledge?.supporterID,
            cadence: cadence, processor: processor, externalID: externalID, amount: amount,
            fee: fee ?? .zero(amount.currency), occurredAt: at)
        try session.insertPayment(payment)
        let receipt =
            announce ? try session.takeReceiptNumber(year: ReceiptNumber.year(of: at), payment: payment.id) : nil
        guard let pledge else {
            if let receipt {
                _ = try session.appendEvent(.paymentSucceeded(payment, pledge: nil, receipt: receipt), recordedAt: now)
            }
            return payment
        }
        let next = try settlePaidPledge(session, pledge, at: at)
        if pledge.status == .paused, next == .active {
            // Resumed by the money: what a supporter's request to resume waited for.
            try session.confirmSupporterRequests(pledgeID: pledge.id, kind: "resume", at: at)
        }
        guard let receipt else { return payment }
        // The pledge as the two updates above left it, without reading it back inside the writer.
        var paid = pledge
        if let next {
            paid.status = next
            paid.resumesAt = nil
        }
        if paid.firstPaidAt == nil { paid.firstPaidAt = at }
        _ = try session.appendEvent(.paymentSucceeded(payment, pledge: paid, receipt: receipt), recordedAt: now)
        if next != nil, let moved = OutboundEventDraft.pledgeMoved(paid, from: pledge.status, at: at) {
            _ = try session.appendEvent(moved, recordedAt: now)
        }
        return payment
    }

    /// What a payment at `at` does to its pledge: the box's reminders converted, pending → active
    /// or completed and past due → active, the first payment stamped (once: a pledge read in this
    /// transaction that has its stamp needs no update). - Returns: the state it moved to, if any.
    static func settlePaidPledge(_ session: any PledgeRecords & ReminderRecords, _ pledge: Pledge, at: Date) throws
        -> PledgeStatus?
    {
        var next = pledge.status.afterPayment(cadence: pledge.cadence)
        // Money dated before the pause (a renewal delivered late) says nothing of the pause: it stands.
        if pledge.status == .paused, let paused = try session.latestStatusMove(pledge.id), at < paused {
            next = nil
        }
        if pledge.convertsRemindersOnPayment {
            _ = try session.convertReminders(supporterID: pledge.supporterID, pledgeID: pledge.id, at: at)
        }
        if let next {
            try session.movePledge(
                pledge.id, from: pledge.status, to: next, at: at, setFirstPaidAt: true, setCancelledAt: false)
        } else if pledge.firstPaidAt == nil {
            try session.markFirstPaid(pledge.id, at: at)
        }
        return next
    }

    /// Books a refund or chargeback against a payment: it reverses the payment's income and is
    /// refused when it would give back more than was paid and not yet given back.
    public func reverse(_ request: ReversalRequest) async throws -> Reversal {
        let paymentExternalID = try Bookkeeping.checkExternalID(request.paymentExternalID, field: "payment")
        let processorFilter = try request.processor.map { text throws(PledgerError) in
            try Bookkeeping.checkProcessor(text)
        }
        let externalID =
            try request.externalID.map { text throws(PledgerError) in try Bookkeeping.checkExternalID(text) }
            ?? EntityID.make(request.kind == .refund ? "rf" : "cb")
        let at = try clock.instant(request.at)
        let now = clock.now
        return try await store.transaction { session in
            let candidates = try session.payments(externalID: paymentExternalID)
                .filter { processorFilter == nil || $0.processor == processorFilter }
            guard let payment = candidates.first else {
                throw PledgerError(
                    .notFound, code: "payment_not_found", field: "payment",
                    message: "no payment with external id \(paymentExternalID)")
            }
            guard candidates.count == 1 else {
                let names = candidates.map(\.processor).joined(separator: ", ")
                throw PledgerError.invalid(
                    "processor", "payment \(paymentExternalID) exists at several processors (\(names)); name one")
            }
            let currency = payment.amount.currency
            let amount: Money
            if let given = request.amount {
                amount = given
            } else if let text = request.amountText {
                amount = try Money.parse(text, currency: currency)
            } else {
                amount = try payment.amount.subtracting(
                    session.reversedTotal(of: payment))
            }
            let fee =
                try request.fee
                ?? request.feeText.map { text throws(PledgerError) in
                    try Money.parse(text, currency: currency, field: "fee")
                }
            if let booked = try session.reversal(processor: payment.processor, externalID: externalID) {
                throw PledgerError(
                    .conflict, code: "already_booked", field: "external_id",
                    message:
                        "\(payment.processor) \(booked.kind.rawValue) \(externalID) is already booked (\(booked.amount))"
                )
            }
            return try Self.bookReversal(
                session, payment: payment, kind: request.kind, externalID: externalID, amount: amount, fee: fee, at: at,
                now: now)
        }
    }

    /// Books a refund or chargeback inside `session`, and announces it unless `announce` is false
    /// (imported history).
    static func bookReversal(
        _ session: any LedgerWriter & PledgeRecords & OutboxRecords, payment: Payment, kind: Reversal.Kind,
        externalID: String, amount: Money, fee: Money?, at: Date, now: Date, announce: Bool = true
    ) throws -> Reversal {
        let currency = payment.amount.currency
        if let fee, fee.currency != currency {
            throw PledgerError.invalid("fee", "is in \(fee.currency.code) but the payment is in \(currency.code)")
        }
        try Self.checkUnused(session, processor: payment.processor, externalID: externalID)
        let reversed = try session.reversedTotal(of: payment)
        try Bookkeeping.checkReversible(
            amount, paid: payment.amount, alreadyReversed: reversed, paymentID: payment.externalID)
        let postings = try Bookkeeping.reversal(
            amount: amount, fee: fee, cadence: payment.cadence, processor: payment.processor)
        let ledgerKind: LedgerKind = kind == .refund ? .refund : .chargeback
        let transaction = try LedgerTransaction(
            kind: ledgerKind, processor: payment.processor, externalID: externalID, occurredAt: at, postings: postings)
        let transactionID = try session.insertLedgerTransaction(transaction, recordedAt: now)
        let reversal = Reversal(
            id: kind == .refund ? ID<Reversal>.make() : ID(EntityID.make("cb")), transactionID: transactionID,
            paymentID: payment.id,
            kind: kind, processor: payment.processor, externalID: externalID, amount: amount,
            fee: fee ?? .zero(currency), occurredAt: at)
        try session.insertReversal(reversal)
        guard announce else { return reversal }
        let pledge = try payment.pledgeID.flatMap { try session.pledge(id: $0) }
        _ = try session.appendEvent(.reversed(reversal, of: payment, pledge: pledge), recordedAt: now)
        return reversal
    }

    /// External ids are unique per processor across all ledger transactions.
    static func checkUnused(_ session: any LedgerWriter, processor: String, externalID: String) throws {
        if try session.isBooked(processor: processor, externalID: externalID) {
            throw PledgerError(
                .conflict, code: "already_booked", field: "external_id",
                message: "\(processor) external id \(externalID) is already booked by another ledger transaction")
        }
    }
}
