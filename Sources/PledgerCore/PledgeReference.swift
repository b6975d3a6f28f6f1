import Foundation

/// How a processor event names a pledge: Pledger's own id (put into the checkout's metadata by
/// the site) and/or processor references stored on the pledge (subscription, payment intent…).
public struct PledgeReference: Sendable, Equatable {
    public var pledgeID: ID<Pledge>?
    public var processorRefs: [String]
    /// The e-mail the payer gave the processor's checkout: a box pledge made without one takes it.
    public var payerEmail: String?

    public init(pledgeID: ID<Pledge>? = nil, processorRefs: [String] = [], payerEmail: String? = nil) {
        self.pledgeID = pledgeID
        self.processorRefs = processorRefs.filter { !$0.isEmpty }
        self.payerEmail = payerEmail
    }

    public var isEmpty: Bool { pledgeID == nil && processorRefs.isEmpty }

    public var description: String {
        ([pledgeID?.rawValue].compactMap { $0 } + processorRefs).joined(separator: ", ")
    }
}
