import Foundation

/// Money given back: a refund, or a chargeback forced by the card holder's bank.
public struct Reversal: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case refund, chargeback
    }

    public var id: ID<Reversal>
    public var transactionID: ID<LedgerTransaction>
    public var paymentID: ID<Payment>
    public var kind: Kind
    public var processor: String
    public var externalID: String
    public var amount: Money
    public var fee: Money
    public var occurredAt: Date

    public init(
        id: ID<Reversal>, transactionID: ID<LedgerTransaction>, paymentID: ID<Payment>, kind: Kind, processor: String,
        externalID: String, amount: Money, fee: Money, occurredAt: Date
    ) {
        self.id = id
        self.transactionID = transactionID
        self.paymentID = paymentID
        self.kind = kind
        self.processor = processor
        self.externalID = externalID
        self.amount = amount
        self.fee = fee
        self.occurredAt = occurredAt
    }
}
