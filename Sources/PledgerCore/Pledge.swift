import Foundation

/// A supporter's commitment to give: once, monthly or annually.
public struct Pledge: Sendable, Equatable {
    public var id: ID<Pledge>
    public var supporterID: ID<Supporter>
    /// The supporter's normalised e-mail (nil once erased).
    public var email: String?
    public var externalRef: String?
    public var cadence: Cadence
    /// The current amount; earlier amounts are kept as dated events.
    public var amount: Money
    public var status: PledgeStatus
    public var source: String?
    public var processor: String?
    public var processorRef: String?
    public var createdAt: Date
    public var firstPaidAt: Date?
    public var cancelledAt: Date?
    /// When a paused pledge resumes by itself, if the pause has an end.
    public var resumesAt: Date?
    /// When the current cadence took effect, if it changed since the pledge was made (monthly ↔
    /// annual): renewals run from there at the new cadence.
    public var cadenceSince: Date?

    public init(
        id: ID<Pledge>, supporterID: ID<Supporter>, email: String?, externalRef: String?, cadence: Cadence,
        amount: Money,
        status: PledgeStatus, source: String?, processor: String?, processorRef: String?,
        createdAt: Date, firstPaidAt: Date?, cancelledAt: Date?, resumesAt: Date? = nil, cadenceSince: Date? = nil
    ) {
        self.id = id
        self.supporterID = supporterID
        self.email = email
        self.externalRef = externalRef
        self.cadence = cadence
        self.amount = amount
        self.status = status
        self.source = source
        self.processor = processor
        self.processorRef = processorRef
        self.createdAt = createdAt
        self.firstPaidAt = firstPaidAt
        self.cancelledAt = cancelledAt
        self.resumesAt = resumesAt
        self.cadenceSince = cadenceSince
    }

    /// Only an open recurring pledge changes amount, in its own currency, to a different amount.
    public func checkAmountChange(to newAmount: Money) throws(PledgerError) {
        try checkTermsChange(to: newAmount, cadence: cadence)
    }

    /// Only an open recurring pledge changes its terms: its amount, in its own currency, and/or its
    /// cadence between monthly and annual (never to or from one-off); something must change.
    public func checkTermsChange(to newAmount: Money, cadence newCadence: Cadence) throws(PledgerError) {
        guard cadence.isRecurring, status.isOpen else {
            throw PledgerError(
                .refused, code: "amount_change_refused", field: newCadence == cadence ? "amount" : "cadence",
                message:
                    "pledge \(id) is a \(status.rawValue) \(cadence.rawValue) pledge; only open recurring pledges change amount or cadence"
            )
        }
        guard newCadence.isRecurring else {
            throw PledgerError(
                .refused, code: "cadence_change_refused", field: "cadence",
                message: "pledge \(id) is recurring; it changes between monthly and annual, never to one-off")
        }
        guard newAmount.currency == amount.currency else {
            throw .invalid("currency", "pledge \(id) is in \(amount.currency.code), not \(newAmount.currency.code)")
        }
        guard newAmount != amount || newCadence != cadence else {
            throw PledgerError(
                .refused, code: "amount_unchanged", field: "amount",
                message: "pledge \(id) is already \(newAmount) \(newCadence.rawValue)")
        }
    }

    /// The next renewal after `instant`, for a paid recurring pledge that is still live: from its
    /// first payment, or from when its cadence last changed if that came later.
    public func nextDue(after instant: Date) -> Date? {
        guard let firstPaidAt, status.isLive else { return nil }
        let start = max(firstPaidAt, cadenceSince ?? firstPaidAt)
        return RenewalSchedule(start: start, cadence: cadence).nextDue(after: instant)
    }
}
