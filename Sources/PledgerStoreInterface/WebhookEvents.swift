import Foundation
import PledgerCore

/// Processor deliveries as received: each event id stored once per provider, in the same
/// transaction as its effects.
public protocol WebhookEvents {
    func webhookEvent(provider: WebhookProvider, eventID: String) throws -> StoredWebhookEvent?
    /// Events with this id from any provider.
    func webhookEvents(eventID: String) throws -> [StoredWebhookEvent]
    /// Newest first.
    func webhookEvents(outcome: WebhookOutcome?, limit: Int) throws -> [StoredWebhookEvent]
    /// Stores a delivery with the SHA-256 of its body, so a later one with the same id and another
    /// body is told apart from a duplicate.
    func insertWebhookEvent(
        provider: WebhookProvider, eventID: String, type: String, payload: [UInt8], outcome: WebhookOutcome,
        detail: String?,
        occurredAt: Date?, receivedAt: Date, bodySHA256: String?
    ) throws
    /// The body hash stored with an event, or nil when the event predates body hashes.
    func webhookBodyHash(provider: WebhookProvider, eventID: String) throws -> String?
    /// Keeps a validly signed delivery that reused a stored event id with another body, for review.
    func insertWebhookConflict(
        provider: WebhookProvider, eventID: String, type: String, payload: [UInt8], bodySHA256: String,
        storedSHA256: String,
        detail: String, receivedAt: Date
    ) throws
    /// The deliveries kept for review, newest first, with the outcome `conflict`.
    func webhookConflicts(limit: Int) throws -> [StoredWebhookEvent]
    /// Records what a replay did.
    func updateWebhookOutcome(
        provider: WebhookProvider, eventID: String, outcome: WebhookOutcome, detail: String?, at: Date) throws
}
