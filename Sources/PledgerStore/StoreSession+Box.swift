import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

// MARK: - The reader's box

extension StoreSession {
    public func insertPublishableKey(_ key: PublishableKey) throws {
        try exec(
            sql: "INSERT INTO publishable_keys (key, origins, label, created_at) VALUES (?, ?, ?, ?)",
            arguments: [
                key.key, key.origins.map(\.description).joined(separator: " "), key.label, ms(key.createdAt),
            ])
    }

    public func publishableKey(_ key: String) throws -> PublishableKey? {
        try fetchRow(sql: "SELECT * FROM publishable_keys WHERE key = ?", arguments: [key]).map(Self.publishableKey)
    }

    public func publishableKeys() throws -> [PublishableKey] {
        try fetchRows(sql: "SELECT * FROM publishable_keys ORDER BY created_at, key").map(Self.publishableKey)
    }

    public func revokePublishableKey(_ key: String, at: Date) throws -> Bool {
        try exec(
            sql: "UPDATE publishable_keys SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL",
            arguments: [ms(at), key])
        return db.changesCount > 0
    }

    private static func publishableKey(_ row: Row) throws -> PublishableKey {
        let origins = try (row["origins"] as String).split(separator: " ").map { text in
            do { return try WebOrigin(String(text)) } catch {
                throw StoreError.undecodable(table: "publishable_keys", column: "origins", value: String(text))
            }
        }
        return PublishableKey(
            key: row["key"], origins: origins, label: row["label"], createdAt: date(row["created_at"]),
            revokedAt: (row["revoked_at"] as Int64?).map(date))
    }

    public func insertAttribution(_ attribution: Attribution, pledgeID: ID<Pledge>, at: Date) throws {
        try insertAttribution(attribution, subject: pledgeID.rawValue, kind: "pledge", at: at)
    }

    public func insertAttribution(_ attribution: Attribution, reminderID: ID<Reminder>, at: Date) throws {
        try insertAttribution(attribution, subject: reminderID.rawValue, kind: "reminder", at: at)
    }

    private func insertAttribution(_ attribution: Attribution, subject: String, kind: String, at: Date) throws {
        try exec(
            sql: """
                INSERT INTO box_attributions (subject_id, kind, campaign, page_path, referrer_host, utm_source,
                    utm_medium, utm_campaign, utm_term, utm_content, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments([subject, kind] + Self.attributionValues(attribution) + [ms(at)]))
    }

    public func attribution(pledgeID: ID<Pledge>) throws -> Attribution? {
        try fetchRow(sql: "SELECT * FROM box_attributions WHERE subject_id = ?", arguments: [pledgeID])
            .map(Self.attribution)
    }

    public func attribution(reminderID: ID<Reminder>) throws -> Attribution? {
        try fetchRow(sql: "SELECT * FROM box_attributions WHERE subject_id = ?", arguments: [reminderID])
            .map(Self.attribution)
    }

    public func insertReminderRequest(_ request: UnconfirmedReminder) throws {
        try exec(
            sql: """
                INSERT INTO reminder_requests (id, email, campaign, page_path, referrer_host, utm_source, utm_medium,
                    utm_campaign, utm_term, utm_content, requested_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments(
                [request.id, request.email] + Self.attributionValues(request.attribution) + [
                    ms(request.requestedAt), ms(request.expiresAt),
                ]))
    }

    public func reminderRequest(id: ID<UnconfirmedReminder>) throws -> UnconfirmedReminder? {
        try fetchRow(sql: "SELECT * FROM reminder_requests WHERE id = ?", arguments: [id]).map { row in
            UnconfirmedReminder(
                id: row["id"], email: row["email"], attribution: Self.attribution(row),
                requestedAt: date(row["requested_at"]), expiresAt: date(row["expires_at"]),
                confirmedAt: (row["confirmed_at"] as Int64?).map(date), reminderID: row["reminder_id"])
        }
    }

    public func confirmReminderRequest(_ id: ID<UnconfirmedReminder>, reminderID: ID<Reminder>, at: Date) throws {
        try exec(
            sql: "UPDATE reminder_requests SET confirmed_at = ?, reminder_id = ?, email = NULL WHERE id = ?",
            arguments: [ms(at), reminderID, id])
    }

    public func expiredReminderRequests(at: Date, limit: Int) throws -> [ID<UnconfirmedReminder>] {
        try fetchAll(
            String.self,
            sql: """
                SELECT id FROM reminder_requests WHERE confirmed_at IS NULL AND expires_at <= ?
                ORDER BY expires_at, id LIMIT ?
                """,
            arguments: [ms(at), limit]
        ).map { ID($0) }
    }

    public func reminderRequests(email: String) throws -> [ID<UnconfirmedReminder>] {
        try fetchAll(
            String.self, sql: "SELECT id FROM reminder_requests WHERE email = ? AND confirmed_at IS NULL ORDER BY id",
            arguments: [email]
        ).map { ID($0) }
    }

    public func deleteReminderRequest(_ id: ID<UnconfirmedReminder>) throws {
        try exec(sql: "DELETE FROM reminder_requests WHERE id = ? AND confirmed_at IS NULL", arguments: [id])
    }

    public func countBox(_ counter: BoxCounter, day: String, campaign: String, pagePath: String) throws {
        // The column name comes from the enum, never from input.
        let column = counter.rawValue
        try exec(
            sql: """
                INSERT INTO box_counts (day, campaign, page_path, \(column)) VALUES (?, ?, ?, 1)
                ON CONFLICT (day, campaign, page_path) DO UPDATE SET \(column) = \(column) + 1
                """,
            arguments: [day, campaign, pagePath])
    }

    public func linkSecret(orMake make: () -> String, at: Date) throws -> String {
        if let secret = try fetchOne(String.self, sql: "SELECT secret FROM link_secrets WHERE id = 1") {
            return secret
        }
        let secret = make()
        try exec(
            sql: "INSERT INTO link_secrets (id, secret, created_at) VALUES (1, ?, ?)", arguments: [secret, ms(at)])
        return secret
    }

    private static func attributionValues(_ attribution: Attribution) -> [(any DatabaseValueConvertible)?] {
        [attribution.campaign, attribution.pagePath, attribution.referrerHost]
            + Attribution.utmKeys.map { attribution.utm[$0] }
    }

    private static func attribution(_ row: Row) -> Attribution {
        var utm: [String: String] = [:]
        for key in Attribution.utmKeys {
            if let value = row[key] as String? { utm[key] = value }
        }
        return Attribution(
            campaign: row["campaign"], pagePath: row["page_path"], referrerHost: row["referrer_host"], utm: utm)
    }
}
