import Foundation

/// A verified, decoded processor event.
public struct WebhookEvent: Sendable, Equatable {
    public var id: String
    public var type: String
    /// When it happened at the processor; the ledger books money at this instant.
    /// Nil only for ignored events whose time could not be read.
    public var occurredAt: Date?
    public var action: WebhookAction

    public init(id: String, type: String, occurredAt: Date?, action: WebhookAction) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.action = action
    }
}
