import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    // MARK: API tokens

    public func insertToken(name: String, tokenHash: String, scopes: Set<APIScope>, at: Date) throws {
        try exec(
            sql: "INSERT INTO api_tokens (name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?)",
            arguments: [name, tokenHash, scopes.map(\.rawValue).sorted().joined(separator: ","), ms(at)])
    }

    public func token(name: String) throws -> APIToken? {
        try fetchRow(sql: "SELECT * FROM api_tokens WHERE name = ?", arguments: [name]).map(Self.token)
    }

    /// The live (not revoked) token with this hash.
    public func liveToken(hash: String) throws -> APIToken? {
        try fetchRow(sql: "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", arguments: [hash])
            .map(Self.token)
    }

    public func tokens() throws -> [APIToken] {
        try fetchRows(sql: "SELECT * FROM api_tokens ORDER BY created_at, name").map(Self.token)
    }

    public func revokeToken(name: String, at: Date) throws {
        try exec(
            sql: "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            arguments: [ms(at), name])
    }

    private static func token(_ row: Row) -> APIToken {
        let scopes = (row["scopes"] as String).split(separator: ",").compactMap { APIScope(rawValue: String($0)) }
        return APIToken(
            name: row["name"], scopes: Set(scopes), createdAt: date(row["created_at"]),
            revokedAt: optionalDate(row["revoked_at"]))
    }

    // MARK: Idempotency keys

    /// The remembered response and its request fingerprint, if the key was used.
    public func rememberedResponse(owner: String, key: String) throws -> (
        fingerprint: String, status: Int, body: [UInt8]
    )? {
        guard
            let row = try fetchRow(
                sql: "SELECT fingerprint, status, body FROM idempotency_keys WHERE owner = ? AND key = ?",
                arguments: [owner, key])
        else { return nil }
        let body: Data = row["body"]
        return (row["fingerprint"], row["status"], [UInt8](body))
    }

    /// Remembers the response; throws ``IdempotencyKeyTaken`` when a concurrent request
    /// with the same key committed first (the caller's transaction is then rolled back whole).
    public func rememberResponse(
        owner: String, key: String, fingerprint: String, status: Int, body: [UInt8], at: Date
    ) throws {
        try exec(
            sql: """
                INSERT OR IGNORE INTO idempotency_keys (owner, key, fingerprint, status, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [owner, key, fingerprint, status, Data(body), ms(at)])
        guard db.changesCount == 1 else { throw IdempotencyKeyTaken() }
    }

    /// Forgets keys older than `before` (they are kept at least 24 hours).
    public func forgetResponses(before: Date) throws {
        try exec(sql: "DELETE FROM idempotency_keys WHERE created_at < ?", arguments: [ms(before)])
    }

    /// A trivial query proving the database answers.
    public func ping() throws -> Bool {
        try fetchOne(Int.self, sql: "SELECT 1") == 1
    }
}
