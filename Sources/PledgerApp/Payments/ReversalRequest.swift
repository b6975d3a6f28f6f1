import Foundation
import PledgerCore

/// Money given back: a refund, or a chargeback.
public struct ReversalRequest: Sendable {
    public var kind: Reversal.Kind
    /// The external id of the payment given back.
    public var paymentExternalID: String
    /// Needed only when several processors booked the same external id.
    public var processor: String?
    public var amount: Money?
    /// The amount as typed, parsed in the payment's currency when `amount` is nil.
    public var amountText: String?
    public var fee: Money?
    /// The fee as typed, parsed in the payment's currency when `fee` is nil.
    public var feeText: String?
    /// The refund's or dispute's own id; nil generates one.
    public var externalID: String?
    public var at: Date?

    public init(
        kind: Reversal.Kind, paymentExternalID: String, processor: String? = nil, amount: Money? = nil,
        amountText: String? = nil, fee: Money? = nil, feeText: String? = nil, externalID: String? = nil, at: Date? = nil
    ) {
        self.kind = kind
        self.paymentExternalID = paymentExternalID
        self.processor = processor
        self.amount = amount
        self.amountText = amountText
        self.fee = fee
        self.feeText = feeText
        self.externalID = externalID
        self.at = at
    }
}
