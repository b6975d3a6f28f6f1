import Foundation

/// A processor's webhook delivery as Pledger keeps it: what it said, and what became of it.
public struct StoredWebhookEvent: Sendable, Equatable {
    public let provider: WebhookProvider
    public let eventID: String
    public let type: String
    /// The body byte for byte, as verified.
    public let payload: [UInt8]
    /// `processed`, `ignored`, `unmatched`…
    public let outcome: WebhookOutcome
    public let detail: String?
    public let occurredAt: Date?
    public let receivedAt: Date
    public let processedAt: Date?
    /// How many times a person replayed it.
    public let replays: Int

    public init(
        provider: WebhookProvider, eventID: String, type: String, payload: [UInt8], outcome: WebhookOutcome,
        detail: String?,
        occurredAt: Date?, receivedAt: Date, processedAt: Date?, replays: Int
    ) {
        self.provider = provider
        self.eventID = eventID
        self.type = type
        self.payload = payload
        self.outcome = outcome
        self.detail = detail
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.processedAt = processedAt
        self.replays = replays
    }
}
