import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    public func webhookEvent(provider: WebhookProvider, eventID: String) throws -> StoredWebhookEvent? {
        try fetchRow(
            sql: "SELECT * FROM webhook_events WHERE provider = ? AND event_id = ?", arguments: [provider, eventID]
        )
        .map(Self.webhookEvent)
    }

    /// Events with this id from any provider.
    public func webhookEvents(eventID: String) throws -> [StoredWebhookEvent] {
        try fetchRows(sql: "SELECT * FROM webhook_events WHERE event_id = ? ORDER BY provider", arguments: [eventID])
            .map(Self.webhookEvent)
    }

    /// Events newest first, optionally of one outcome.
    public func webhookEvents(outcome: WebhookOutcome?, limit: Int) throws -> [StoredWebhookEvent] {
        if let outcome {
            return try Row.fetchAll(
                db, sql: "SELECT * FROM webhook_events WHERE outcome = ? ORDER BY received_at DESC, rowid DESC LIMIT ?",
                arguments: [outcome, limit]
            ).map(Self.webhookEvent)
        }
        return try fetchRows(
            sql: "SELECT * FROM webhook_events ORDER BY received_at DESC, rowid DESC LIMIT ?", arguments: [limit]
        )
        .map(Self.webhookEvent)
    }

    public func insertWebhookEvent(
        provider: WebhookProvider, eventID: String, type: String, payload: [UInt8], outcome: WebhookOutcome,
        detail: String?,
        occurredAt: Date?, receivedAt: Date, bodySHA256: String? = nil
    ) throws {
        try exec(
            sql: """
                INSERT INTO webhook_events (provider, event_id, type, payload, outcome, detail, occurred_at, received_at, processed_at, body_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                provider, eventID, type, Data(payload), outcome, detail, occurredAt.map(ms), ms(receivedAt),
                outcome == .processed ? ms(receivedAt) : nil, bodySHA256,
            ])
    }

    /// Records a replay's outcome.
    public func updateWebhookOutcome(
        provider: WebhookProvider, eventID: String, outcome: WebhookOutcome, detail: String?, at: Date
    )
        throws
    {
        try exec(
            sql: """
                UPDATE webhook_events SET outcome = ?, detail = ?, replays = replays + 1,
                    processed_at = CASE WHEN ? = 'processed' THEN ? ELSE processed_at END
                WHERE provider = ? AND event_id = ?
                """,
            arguments: [outcome, detail, outcome, ms(at), provider, eventID])
    }

    /// Row counts of every table, to prove a refused request changed nothing.
    public func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in try fetchAll(
            String.self, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        {
            counts[table] = try fetchOne(Int.self, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)")
        }
        return counts
    }

    // MARK: Processor references

    /// Remembers that `ref` at `processor` names a pledge and/or a payment.
    public func linkRef(processor: String, ref: String, pledgeID: ID<Pledge>?, paymentID: ID<Payment>?, at: Date) throws
    {
        // The link names rows by key (migration 0024): an id the ledger lacks is refused, not lost.
        let pledge = try pledgeID.map { id in
            guard let seq = try fetchOne(Int64.self, sql: "SELECT seq FROM pledges WHERE id = ?", arguments: [id])
            else { throw StoreError.database("reference \(ref) names pledge \(id), which is not in the ledger") }
            return seq
        }
        let payment = try paymentID.map { id in
            guard let seq = try fetchOne(Int64.self, sql: "SELECT seq FROM payments WHERE id = ?", arguments: [id])
            else { throw StoreError.database("reference \(ref) names payment \(id), which is not in the ledger") }
            return seq
        }
        try exec(
            sql: """
                INSERT OR IGNORE INTO processor_refs (processor, ref, pledge_seq, payment_seq, created_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [processor, ref, pledge ?? 0, payment ?? 0, ms(at)])
    }

    /// The pledge named by any of `refs` at `processor`, if exactly one is.
    public func pledgeIDs(processor: String, refs: [String]) throws -> [ID<Pledge>] {
        guard !refs.isEmpty else { return [] }
        let marks = refs.map { _ in "?" }.joined(separator: ", ")
        return try fetchAll(
            String.self,
            sql: """
                SELECT p.id FROM processor_refs r JOIN pledges p ON p.seq = r.pledge_seq
                WHERE r.processor = ? AND r.ref IN (\(marks)) AND r.pledge_seq > 0
                UNION SELECT id FROM pledges WHERE processor = ? AND processor_ref IN (\(marks))
                """,
            arguments: StatementArguments([processor] + refs + [processor] + refs)
        ).map { ID($0) }
    }

    /// The payment named by any of `refs` at `processor`: by its external id, or a linked reference.
    public func payment(processor: String, refs: [String]) throws -> Payment? {
        guard !refs.isEmpty else { return nil }
        let marks = refs.map { _ in "?" }.joined(separator: ", ")
        return try fetchRow(
            sql: """
                SELECT * FROM payment_facts WHERE processor = ? AND external_id IN (\(marks))
                UNION
                SELECT f.* FROM processor_refs r CROSS JOIN payment_facts f ON f.seq = r.payment_seq
                WHERE r.processor = ? AND r.ref IN (\(marks)) AND r.payment_seq > 0 AND f.processor = ?
                ORDER BY occurred_at LIMIT 1
                """,
            arguments: StatementArguments([processor] + refs + [processor] + refs + [processor])
        ).map(Self.payment)
    }

    /// Sets a pledge's processor and main reference (its subscription) when it has none.
    public func setPledgeProcessor(_ pledgeID: ID<Pledge>, processor: String, ref: String?) throws {
        try exec(
            sql:
                "UPDATE pledges SET processor = COALESCE(processor, ?), processor_ref = COALESCE(processor_ref, ?) WHERE id = ?",
            arguments: [processor, ref, pledgeID])
    }

    /// Refunds already booked for a payment.
    public func refundedTotal(of payment: Payment) throws -> Money {
        let total = try fetchOne(
            Int64.self,
            sql: """
                SELECT COALESCE(SUM(r.amount), 0) FROM payments y JOIN reversals r ON r.payment_seq = y.seq
                WHERE y.id = ? AND r.kind = 'refund'
                """,
            arguments: [payment.id])
        return Money(minorUnits: total ?? 0, currency: payment.amount.currency)
    }

    private static func webhookEvent(_ row: Row) throws -> StoredWebhookEvent {
        let payload: Data = row["payload"]
        return StoredWebhookEvent(
            provider: try decode(row, "provider", as: WebhookProvider.self, table: "webhook_events"),
            eventID: row["event_id"], type: row["type"], payload: [UInt8](payload),
            outcome: try decode(row, "outcome", as: WebhookOutcome.self, table: "webhook_events"),
            detail: row["detail"], occurredAt: optionalDate(row["occurred_at"]),
            receivedAt: date(row["received_at"]), processedAt: optionalDate(row["processed_at"]),
            replays: row["replays"])
    }
}
