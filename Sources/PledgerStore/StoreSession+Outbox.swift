import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

// MARK: - Outbox events

extension StoreSession {
    public func appendEvent(_ draft: OutboundEventDraft, recordedAt: Date) throws -> OutboundEvent {
        // One writer at a time, and events are never deleted: MAX + 1 only grows.
        let sequence = try fetchOne(Int64.self, sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM outbox_events") ?? 1
        let event = draft.numbered(id: ID<OutboundEvent>.make(), sequence: sequence)
        try exec(
            sql: """
                INSERT INTO outbox_events (sequence, id, type, occurred_at, recorded_at, supporter_id, pledge_id,
                                           reminder_id, payment_id, request_id, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                sequence, event.id, event.type.rawValue, ms(event.occurredAt), ms(recordedAt),
                event.subjects.supporterID, event.subjects.pledgeID, event.subjects.reminderID,
                event.subjects.paymentID, event.subjects.requestID, event.body,
            ])
        return event
    }

    public func events(type: OutboundEventType?, since: Date?, afterSequence: Int64?, limit: Int) throws
        -> [OutboundEvent]
    {
        var filter = ListingFilter()
        filter.add("sequence > ?", afterSequence)
        filter.add("type = ?", type?.rawValue)
        filter.add("occurred_at >= ?", since.map(ms))
        return try fetchRows(
            sql: Self.eventSelect + filter.whereClause + " ORDER BY sequence LIMIT ?",
            arguments: filter.arguments + [limit]
        ).map(Self.event)
    }

    public func event(id: ID<OutboundEvent>) throws -> OutboundEvent? {
        try fetchRow(sql: Self.eventSelect + " WHERE id = ?", arguments: [id]).map(Self.event)
    }

    public func events(supporterID: ID<Supporter>) throws -> [OutboundEvent] {
        try fetchRows(sql: Self.eventSelect + " WHERE supporter_id = ? ORDER BY sequence", arguments: [supporterID])
            .map(Self.event)
    }

    public func events(requestID: ID<UnconfirmedReminder>) throws -> [OutboundEvent] {
        try fetchRows(sql: Self.eventSelect + " WHERE request_id = ? ORDER BY sequence", arguments: [requestID])
            .map(Self.event)
    }

    public func replaceErasedEventBody(sequence: Int64, body: String, at: Date) throws {
        try exec(
            sql: "UPDATE outbox_events SET body = ?, erased_at = ? WHERE sequence = ?",
            arguments: [body, ms(at), sequence])
    }

    public func latestEventSequence() throws -> Int64 {
        try fetchOne(Int64.self, sql: "SELECT COALESCE(MAX(sequence), 0) FROM outbox_events") ?? 0
    }

    static let eventSelect = """
        SELECT sequence, id, type, occurred_at, supporter_id, pledge_id, reminder_id, payment_id, request_id, body
        FROM outbox_events
        """

    private static func event(_ row: Row) throws -> OutboundEvent {
        OutboundEvent(
            id: row["id"], sequence: row["sequence"],
            type: try decode(row, "type", as: OutboundEventType.self, table: "outbox_events"),
            occurredAt: date(row["occurred_at"]),
            subjects: EventSubjects(
                supporterID: row["supporter_id"], pledgeID: row["pledge_id"], reminderID: row["reminder_id"],
                paymentID: row["payment_id"], requestID: row["request_id"]),
            body: row["body"])
    }
}

// MARK: - Receipt numbers

extension StoreSession {
    public func takeReceiptNumber(year: Int, payment: ID<Payment>) throws -> ReceiptNumber {
        let next =
            try fetchOne(
                Int64.self, sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM receipt_numbers WHERE year = ?",
                arguments: [year]) ?? 1
        try exec(
            sql: "INSERT INTO receipt_numbers (payment_id, year, sequence) VALUES (?, ?, ?)",
            arguments: [payment, year, next])
        return ReceiptNumber(year: year, sequence: next)
    }

    public func receiptNumber(payment: ID<Payment>) throws -> ReceiptNumber? {
        try fetchRow(sql: "SELECT year, sequence FROM receipt_numbers WHERE payment_id = ?", arguments: [payment])
            .map { ReceiptNumber(year: $0["year"], sequence: $0["sequence"]) }
    }
}
