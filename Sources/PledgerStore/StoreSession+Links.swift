import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

// MARK: - Supporters' own links and page

extension StoreSession {
    public func linkNonce(supporterID: ID<Supporter>) throws -> String {
        try fetchOne(
            String.self, sql: "SELECT nonce FROM supporter_link_nonces WHERE supporter_id = ?", arguments: [supporterID]
        )
            ?? "0"
    }

    public func setLinkNonce(supporterID: ID<Supporter>, nonce: String, at: Date) throws {
        try exec(
            sql: """
                INSERT INTO supporter_link_nonces (supporter_id, nonce, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (supporter_id) DO UPDATE SET nonce = excluded.nonce, updated_at = excluded.updated_at
                """,
            arguments: [supporterID, nonce, ms(at)])
    }

    public func supporter(id: ID<Supporter>) throws -> SupporterRecord? {
        try fetchRow(sql: "SELECT id, email, external_ref FROM supporters WHERE id = ?", arguments: [id]).map {
            SupporterRecord(id: $0["id"], email: $0["email"], externalRef: $0["external_ref"])
        }
    }

    public func pledges(supporterID: ID<Supporter>) throws -> [Pledge] {
        try fetchRows(
            sql: Self.pledgeSelect + " WHERE p.supporter_id = ? ORDER BY p.seq DESC", arguments: [supporterID]
        )
        .map(Self.pledge)
    }

    public func payments(supporterID: ID<Supporter>, limit: Int) throws -> [(payment: Payment, receipt: ReceiptNumber?)]
    {
        // Through the supporter's pledges (indexed by pledge); a gift booked without a pledge has no page.
        try fetchRows(
            sql: """
                SELECT py.*, r.year AS receipt_year, r.sequence AS receipt_sequence
                FROM payment_facts py LEFT JOIN receipt_numbers r ON r.payment_id = py.id
                WHERE py.seq IN (SELECT y.seq FROM pledges o JOIN payments y ON y.pledge_seq = o.seq WHERE o.supporter_id = ?)
                ORDER BY py.occurred_at DESC, py.id LIMIT ?
                """,
            arguments: [supporterID, limit]
        ).map { row in
            let receipt = (row["receipt_year"] as Int?).map {
                ReceiptNumber(year: $0, sequence: row["receipt_sequence"])
            }
            return (try Self.payment(row), receipt)
        }
    }
}

// MARK: - Supporters' requests

extension StoreSession {
    public func insertSupporterRequest(_ request: SupporterRequest) throws {
        var months: Int?
        var amount: Money?
        var cadence: Cadence?
        var reason: CancellationReason?
        var note: String?
        switch request.kind {
        case .pause(let count): months = count
        case .change(let newAmount, let newCadence): (amount, cadence) = (newAmount, newCadence)
        case .cancel(let why, let text): (reason, note) = (why, text)
        case .resume: break
        }
        try exec(
            sql: """
                INSERT INTO supporter_requests (id, pledge_id, kind, months, amount, currency, cadence, reason, note,
                                                requested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                request.id, request.pledgeID, request.kind.name, months, amount?.minorUnits, amount?.currency.code,
                cadence?.rawValue, reason?.rawValue, note, ms(request.requestedAt),
            ])
    }

    public func openSupporterRequests(pledgeIDs: [ID<Pledge>]) throws -> [SupporterRequest] {
        guard !pledgeIDs.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: pledgeIDs.count).joined(separator: ", ")
        return try fetchRows(
            sql: """
                SELECT * FROM supporter_requests WHERE confirmed_at IS NULL AND pledge_id IN (\(marks))
                ORDER BY requested_at, id
                """,
            arguments: StatementArguments(pledgeIDs)
        ).map(Self.supporterRequest)
    }

    public func confirmSupporterRequests(pledgeID: ID<Pledge>, kind: String, at: Date) throws {
        try exec(
            sql: """
                UPDATE supporter_requests SET confirmed_at = MAX(?, requested_at)
                WHERE pledge_id = ? AND kind = ? AND confirmed_at IS NULL
                """,
            arguments: [ms(at), pledgeID, kind])
    }

    public func confirmChangeRequests(pledgeID: ID<Pledge>, amount: Money, cadence: Cadence, at: Date) throws {
        try exec(
            sql: """
                UPDATE supporter_requests SET confirmed_at = MAX(?, requested_at)
                WHERE pledge_id = ? AND kind = 'change' AND confirmed_at IS NULL
                  AND (amount IS NULL OR (amount = ? AND currency = ?))
                  AND (cadence IS NULL OR cadence = ?)
                """,
            arguments: [ms(at), pledgeID, amount.minorUnits, amount.currency.code, cadence.rawValue])
    }

    public func eraseSupporterRequestNotes(supporterID: ID<Supporter>) throws {
        try exec(
            sql: """
                UPDATE supporter_requests SET note = NULL
                WHERE note IS NOT NULL AND pledge_id IN (SELECT id FROM pledges WHERE supporter_id = ?)
                """,
            arguments: [supporterID])
    }

    public func cancellationReasons(_ month: (start: Date, end: Date)) throws
        -> [CancellationReason: (requested: Int64, confirmed: Int64)]
    {
        var counts: [CancellationReason: (requested: Int64, confirmed: Int64)] = [:]
        for row in try fetchRows(
            sql: """
                SELECT reason, COUNT(*) AS requested, COALESCE(SUM(confirmed_at IS NOT NULL AND confirmed_at < :hi), 0)
                    AS confirmed
                FROM supporter_requests INDEXED BY supporter_requests_cancel_time
                WHERE kind = 'cancel' AND requested_at >= :lo AND requested_at < :hi
                GROUP BY reason
                """,
            arguments: ["lo": ms(month.start), "hi": ms(month.end)])
        {
            let reason = try decode(row, "reason", as: CancellationReason.self, table: "supporter_requests")
            counts[reason] = (row["requested"], row["confirmed"])
        }
        return counts
    }

    private static func supporterRequest(_ row: Row) throws -> SupporterRequest {
        let kind: SupporterRequest.Kind
        switch row["kind"] as String {
        case "pause":
            kind = .pause(months: row["months"])
        case "resume":
            kind = .resume
        case "change":
            let amount = try (row["amount"] as Int64?).map { minor in
                Money(minorUnits: minor, currency: try decodeCurrency(row, table: "supporter_requests"))
            }
            kind = .change(
                amount: amount,
                cadence: try (row["cadence"] as String?).map { _ in
                    try decode(row, "cadence", as: Cadence.self, table: "supporter_requests")
                })
        default:
            kind = .cancel(
                reason: try decode(row, "reason", as: CancellationReason.self, table: "supporter_requests"),
                note: row["note"])
        }
        return SupporterRequest(
            id: row["id"], pledgeID: row["pledge_id"], kind: kind, requestedAt: date(row["requested_at"]),
            confirmedAt: (row["confirmed_at"] as Int64?).map(date))
    }
}
