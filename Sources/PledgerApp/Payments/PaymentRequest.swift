import Foundation
import PledgerCore

/// Money received, as reported by a processor or entered by hand.
public struct PaymentRequest: Sendable {
    /// The pledge paid; nil books the money as a one-off gift from no known supporter.
    public var pledgeID: ID<Pledge>?
    public var amount: Money
    public var fee: Money?
    public var processor: String?
    public var externalID: String
    public var at: Date?

    public init(
        pledgeID: ID<Pledge>?, amount: Money, fee: Money? = nil, processor: String? = nil, externalID: String,
        at: Date? = nil
    ) {
        self.pledgeID = pledgeID
        self.amount = amount
        self.fee = fee
        self.processor = processor
        self.externalID = externalID
        self.at = at
    }
}
