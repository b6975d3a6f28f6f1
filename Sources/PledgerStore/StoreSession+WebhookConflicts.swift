import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    /// The body hash stored with an event, or nil when it predates migration 0011.
    public func webhookBodyHash(provider: WebhookProvider, eventID: String) throws -> String? {
        try fetchOne(
            String.self, sql: "SELECT body_sha256 FROM webhook_events WHERE provider = ? AND event_id = ?",
            arguments: [provider, eventID])
    }

    /// Keeps a validly signed delivery that reused a stored event id with another body, for review.
    public func insertWebhookConflict(
        provider: WebhookProvider, eventID: String, type: String, payload: [UInt8], bodySHA256: String,
        storedSHA256: String,
        detail: String, receivedAt: Date
    ) throws {
        try exec(
            sql: """
                INSERT INTO webhook_conflicts (provider, event_id, type, payload, body_sha256, stored_sha256, detail, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [provider, eventID, type, Data(payload), bodySHA256, storedSHA256, detail, ms(receivedAt)])
    }

    /// Conflicting deliveries, newest first, shaped as stored events with the outcome `conflict`.
    public func webhookConflicts(limit: Int) throws -> [StoredWebhookEvent] {
        try fetchRows(
            sql: "SELECT * FROM webhook_conflicts ORDER BY received_at DESC, rowid DESC LIMIT ?", arguments: [limit]
        ).map { row in
            let payload: Data = row["payload"]
            return StoredWebhookEvent(
                provider: try decode(row, "provider", as: WebhookProvider.self, table: "webhook_conflicts"),
                eventID: row["event_id"], type: row["type"], payload: [UInt8](payload),
                outcome: .conflict, detail: row["detail"], occurredAt: nil, receivedAt: date(row["received_at"]),
                processedAt: nil, replays: 0)
        }
    }
}
