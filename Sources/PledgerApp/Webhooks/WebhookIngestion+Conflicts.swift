import Foundation
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks

extension WebhookIngestion {
    /// A redelivery of a stored event id whose body differs is a conflict, not a duplicate: the new
    /// body is kept in `webhook_conflicts` for review and nothing is booked. Nil when the bodies match.
    static func conflict(
        _ session: any WebhookEvents, _ stored: StoredWebhookEvent, event: WebhookEvent, body: [UInt8], hash: String,
        now: Date
    ) throws -> WebhookResult? {
        let storedHash =
            try session.webhookBodyHash(provider: stored.provider, eventID: stored.eventID)
            ?? Crypto.sha256Hex(stored.payload)
        guard storedHash != hash else { return nil }
        let detail =
            "event \(event.id) was received \(Timestamp.format(stored.receivedAt)) with another body; this one is kept for review and nothing was booked"
        try session.insertWebhookConflict(
            provider: stored.provider, eventID: event.id, type: event.type, payload: body, bodySHA256: hash,
            storedSHA256: storedHash, detail: detail, receivedAt: now)
        return WebhookResult(
            outcome: .conflict, provider: stored.provider, eventID: event.id, type: event.type, detail: detail)
    }
}
