import Foundation
import PledgerCore

/// What a person or the site says when a reader pledges.
public struct PledgeRequest: Sendable {
    public var email: String
    public var externalRef: String?
    public var amount: Money
    public var cadence: Cadence
    public var source: String?
    public var processor: String?
    public var processorRef: String?
    /// When it happened; nil means now.
    public var at: Date?

    public init(
        email: String, externalRef: String? = nil, amount: Money, cadence: Cadence, source: String? = nil,
        processor: String? = nil, processorRef: String? = nil, at: Date? = nil
    ) {
        self.email = email
        self.externalRef = externalRef
        self.amount = amount
        self.cadence = cadence
        self.source = source
        self.processor = processor
        self.processorRef = processorRef
        self.at = at
    }
}
