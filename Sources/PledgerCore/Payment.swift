import Foundation

/// Money received for a pledge (or with no pledge, counted as one-off).
public struct Payment: Sendable, Equatable {
    public var id: ID<Payment>
    public var transactionID: ID<LedgerTransaction>
    public var pledgeID: ID<Pledge>?
    public var supporterID: ID<Supporter>?
    public var cadence: Cadence
    public var processor: String
    public var externalID: String
    public var amount: Money
    public var fee: Money
    public var occurredAt: Date

    public init(
        id: ID<Payment>, transactionID: ID<LedgerTransaction>, pledgeID: ID<Pledge>?, supporterID: ID<Supporter>?,
        cadence: Cadence,
        processor: String, externalID: String, amount: Money, fee: Money, occurredAt: Date
    ) {
        self.id = id
        self.transactionID = transactionID
        self.pledgeID = pledgeID
        self.supporterID = supporterID
        self.cadence = cadence
        self.processor = processor
        self.externalID = externalID
        self.amount = amount
        self.fee = fee
        self.occurredAt = occurredAt
    }
}
