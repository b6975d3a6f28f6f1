import Foundation
import PledgerCore

/// Processor deliveries as received: each event id stored once per provider, in the same
/// transaction as its effects.
public protocol WebhookEvents {
    func webhookEvent(provider: String, eventID: String) throws -> StoredWebhookEvent?
    /// Events with this id from any provider.
    func webhookEvents(eventID: String) throws -> [StoredWebhookEvent]
    /// Newest first.
    func webhookEvents(outcome: String?, limit: Int) throws -> [StoredWebhookEvent]
    func insertWebhookEvent(
        provider: String, eventID: String, type: String, payload: [UInt8], outcome: String, detail: String?,
        occurredAt: Date?, receivedAt: Date
    ) throws
    /// Records what a replay did.
    func updateWebhookOutcome(provider: String, eventID: String, outcome: String, detail: String?, at: Date) throws
}
