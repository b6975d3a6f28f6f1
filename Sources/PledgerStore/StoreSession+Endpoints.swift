import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

// MARK: - Endpoints

extension StoreSession {
    public func insertEndpoint(_ endpoint: Endpoint, secret: String) throws {
        try exec(
            sql: """
                INSERT INTO endpoints (id, url, description, events, secret, status, start_sequence, cursor_sequence,
                                       created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                endpoint.id, endpoint.url, endpoint.description, endpoint.events.description, secret,
                endpoint.status.rawValue, endpoint.startSequence, endpoint.startSequence, ms(endpoint.createdAt),
                ms(endpoint.updatedAt),
            ])
    }

    public func endpoint(id: ID<Endpoint>) throws -> Endpoint? {
        try fetchRow(sql: "SELECT * FROM endpoints WHERE id = ?", arguments: [id]).map(Self.endpoint)
    }

    public func endpoints(includeRemoved: Bool) throws -> [Endpoint] {
        try fetchRows(
            sql: "SELECT * FROM endpoints" + (includeRemoved ? "" : " WHERE status != 'removed'")
                + " ORDER BY created_at, id"
        ).map(Self.endpoint)
    }

    public func setEndpointStatus(_ id: ID<Endpoint>, status: EndpointStatus, reason: String?, at: Date) throws {
        try exec(
            sql: """
                UPDATE endpoints SET status = ?, disabled_reason = ?, updated_at = ?,
                    failing_since = CASE WHEN ? = 'enabled' THEN NULL ELSE failing_since END
                WHERE id = ?
                """,
            arguments: [status.rawValue, reason, ms(at), status.rawValue, id])
    }

    public func rotateEndpointSecret(_ id: ID<Endpoint>, secret: String, previousExpiresAt: Date, at: Date) throws {
        try exec(
            sql: """
                UPDATE endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ?,
                    updated_at = ?
                WHERE id = ?
                """,
            arguments: [ms(previousExpiresAt), secret, ms(at), id])
    }

    public func removeEndpoint(_ id: ID<Endpoint>, at: Date) throws {
        // A removed endpoint signs nothing again, so its secrets are not kept.
        try exec(
            sql: """
                UPDATE endpoints SET status = 'removed', secret = '', previous_secret = NULL,
                    previous_secret_expires_at = NULL, updated_at = ?
                WHERE id = ?
                """,
            arguments: [ms(at), id])
    }

    private static func endpoint(_ row: Row) throws -> Endpoint {
        let events: String = row["events"]
        let filter: EventFilter
        do {
            filter = try EventFilter(parsing: events)
        } catch {
            throw StoreError.undecodable(table: "endpoints", column: "events", value: events)
        }
        return Endpoint(
            id: row["id"], url: row["url"], description: row["description"], events: filter,
            status: try decode(row, "status", as: EndpointStatus.self, table: "endpoints"),
            disabledReason: row["disabled_reason"], startSequence: row["start_sequence"],
            failingSince: optionalDate(row["failing_since"]),
            previousSecretExpiresAt: optionalDate(row["previous_secret_expires_at"]),
            createdAt: date(row["created_at"]), updatedAt: date(row["updated_at"]))
    }
}

// MARK: - Deliveries

extension StoreSession {
    public func deliveryTargets() throws -> [DeliveryTarget] {
        try fetchRows(sql: "SELECT * FROM endpoints WHERE status = 'enabled' ORDER BY created_at, id")
            .map(Self.target)
    }

    public func deliveryTarget(id: ID<Endpoint>) throws -> DeliveryTarget? {
        try fetchRow(sql: "SELECT * FROM endpoints WHERE id = ?", arguments: [id]).map(Self.target)
    }

    public func events(types: [OutboundEventType], afterSequence: Int64, limit: Int) throws -> [OutboundEvent] {
        guard !types.isEmpty else { return [] }
        let all = types.count == OutboundEventType.allCases.count
        let placeholders = types.map { _ in "?" }.joined(separator: ", ")
        var arguments: StatementArguments = [afterSequence]
        if !all { arguments += StatementArguments(types.map(\.rawValue)) }
        arguments += [limit]
        return try fetchRows(
            sql: """
                SELECT sequence, id, type, occurred_at, supporter_id, pledge_id, reminder_id, payment_id, body
                FROM outbox_events WHERE sequence > ?\(all ? "" : " AND type IN (\(placeholders))")
                ORDER BY sequence LIMIT ?
                """,
            arguments: arguments
        ).map(Self.outboxEvent)
    }

    public func firstPendingDelivery(endpoint: ID<Endpoint>) throws -> (Delivery, OutboundEvent)? {
        guard
            let row = try fetchRow(
                sql: Self.deliverySelect
                    + " WHERE d.endpoint_id = ? AND d.status = 'pending' ORDER BY d.event_sequence LIMIT 1",
                arguments: [endpoint])
        else { return nil }
        return (try Self.delivery(row), try Self.outboxEvent(row))
    }

    public func recordDeliveryAttempt(_ attempt: DeliveryAttempt) throws {
        try exec(
            sql: """
                INSERT INTO deliveries (id, endpoint_id, event_sequence, status, attempts, next_attempt_at,
                                        last_attempt_at, last_status, last_error, delivered_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (endpoint_id, event_sequence) DO UPDATE SET
                    status = excluded.status, attempts = excluded.attempts,
                    next_attempt_at = excluded.next_attempt_at, last_attempt_at = excluded.last_attempt_at,
                    last_status = excluded.last_status, last_error = excluded.last_error,
                    delivered_at = excluded.delivered_at
                """,
            arguments: [
                ID<Delivery>.make(at: attempt.at), attempt.endpointID, attempt.event.sequence,
                attempt.status.rawValue, attempt.attempts, attempt.nextAttemptAt.map(ms), ms(attempt.at),
                attempt.httpStatus, attempt.error, attempt.status == .delivered ? ms(attempt.at) : nil,
                ms(attempt.at),
            ])
    }

    public func advanceEndpointCursor(_ id: ID<Endpoint>, to sequence: Int64) throws {
        try exec(
            sql: "UPDATE endpoints SET cursor_sequence = MAX(cursor_sequence, ?) WHERE id = ?",
            arguments: [sequence, id])
    }

    public func setEndpointFailingSince(_ id: ID<Endpoint>, _ since: Date?) throws {
        try exec(sql: "UPDATE endpoints SET failing_since = ? WHERE id = ?", arguments: [since.map(ms), id])
    }

    public func delivery(id: ID<Delivery>) throws -> Delivery? {
        try fetchRow(sql: Self.deliverySelect + " WHERE d.id = ?", arguments: [id]).map(Self.delivery)
    }

    public func deliveries(endpoint: ID<Endpoint>?, status: DeliveryStatus?, limit: Int) throws -> [Delivery] {
        var filter = ListingFilter()
        filter.add("d.endpoint_id = ?", endpoint)
        filter.add("d.status = ?", status?.rawValue)
        return try fetchRows(
            sql: Self.deliverySelect + filter.whereClause + " ORDER BY d.event_sequence DESC, d.endpoint_id LIMIT ?",
            arguments: filter.arguments + [limit]
        ).map(Self.delivery)
    }

    public func retryFailedDeliveries(id: ID<Delivery>?, endpoint: ID<Endpoint>?, since: Date?, at: Date) throws
        -> Int
    {
        var filter = ListingFilter()
        filter.add("id = ?", id)
        filter.add("endpoint_id = ?", endpoint)
        filter.add("event_sequence IN (SELECT sequence FROM outbox_events WHERE occurred_at >= ?)", since.map(ms))
        let condition =
            filter.whereClause.isEmpty
            ? " WHERE status = 'failed'"
            : filter.whereClause
                + " AND status = 'failed'"
        try exec(
            sql: "UPDATE deliveries SET status = 'pending', next_attempt_at = ?" + condition,
            arguments: [ms(at)] + filter.arguments)
        return db.changesCount
    }

    public func oldestUndeliveredEventRecordedAt() throws -> Date? {
        // Pending rows, and for each enabled endpoint the first matching event past its cursor.
        var oldest = try fetchOne(
            Int64.self,
            sql: """
                SELECT MIN(e.recorded_at) FROM deliveries d
                JOIN endpoints p ON p.id = d.endpoint_id AND p.status = 'enabled'
                JOIN outbox_events e ON e.sequence = d.event_sequence
                WHERE d.status = 'pending'
                """)
        for target in try deliveryTargets() {
            let types = target.endpoint.events.types
            guard let first = try events(types: types, afterSequence: target.cursor, limit: 1).first,
                let recorded = try fetchOne(
                    Int64.self, sql: "SELECT recorded_at FROM outbox_events WHERE sequence = ?",
                    arguments: [first.sequence])
            else { continue }
            oldest = min(oldest ?? recorded, recorded)
        }
        return oldest.map(date)
    }

    private static let deliverySelect = """
        SELECT d.id AS delivery_id, d.endpoint_id, d.event_sequence, d.status, d.attempts, d.next_attempt_at,
               d.last_attempt_at, d.last_status, d.last_error, d.delivered_at,
               e.sequence, e.id, e.type, e.occurred_at, e.supporter_id, e.pledge_id, e.reminder_id, e.payment_id,
               e.body
        FROM deliveries d JOIN outbox_events e ON e.sequence = d.event_sequence
        """

    private static func delivery(_ row: Row) throws -> Delivery {
        Delivery(
            id: row["delivery_id"], endpointID: row["endpoint_id"], eventSequence: row["event_sequence"],
            eventID: row["id"], eventType: try decode(row, "type", as: OutboundEventType.self, table: "outbox_events"),
            status: try decode(row, "status", as: DeliveryStatus.self, table: "deliveries"),
            attempts: row["attempts"], nextAttemptAt: optionalDate(row["next_attempt_at"]),
            lastAttemptAt: optionalDate(row["last_attempt_at"]), lastStatus: row["last_status"],
            lastError: row["last_error"], deliveredAt: optionalDate(row["delivered_at"]))
    }

    private static func outboxEvent(_ row: Row) throws -> OutboundEvent {
        OutboundEvent(
            id: row["id"], sequence: row["sequence"],
            type: try decode(row, "type", as: OutboundEventType.self, table: "outbox_events"),
            occurredAt: date(row["occurred_at"]),
            subjects: EventSubjects(
                supporterID: row["supporter_id"], pledgeID: row["pledge_id"], reminderID: row["reminder_id"],
                paymentID: row["payment_id"]),
            body: row["body"])
    }

    private static func target(_ row: Row) throws -> DeliveryTarget {
        DeliveryTarget(
            endpoint: try endpoint(row), cursor: row["cursor_sequence"], secret: row["secret"],
            previousSecret: row["previous_secret"])
    }
}
