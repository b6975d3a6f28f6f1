import Foundation
import PledgerCore
import PledgerStore
import PledgerStoreInterface
import PledgerWebhooks

/// What the engineer on call and the administrator do: API tokens, the health probe, `verify`,
/// backup and restore, and erasing a supporter on request.
public struct Operations: Sendable {
    let store: LedgerStore
    let clock: WallClock

    /// Re-checks every ledger invariant: storage integrity, append-only triggers, every
    /// transaction balanced per currency (Core's rule), no payment reversed beyond its amount.
    public func verify() async throws -> Verification {
        try await store.snapshot { session in
            var result = Verification()
            result.breaches += try session.storageBreaches()
            try session.forEachTransaction(
                { id, postings in
                    result.transactionsChecked += 1
                    do throws(PledgerError) {
                        try LedgerTransaction.checkBalanced(postings)
                    } catch {
                        result.breaches.append("ledger transaction \(id): \(error.message)")
                    }
                },
                unknownCurrency: { id, code in
                    result.breaches.append("ledger transaction \(id) has a posting in unknown currency \(code)")
                })
            try session.forEachReversedPayment { payment, reversed, mismatch in
                result.paymentsWithReversalsChecked += 1
                if mismatch {
                    result.breaches.append("payment \(payment.externalID) has a reversal in another currency")
                    return
                }
                do throws(PledgerError) {
                    try Bookkeeping.checkReversible(
                        reversed, paid: payment.amount, alreadyReversed: .zero(reversed.currency),
                        paymentID: payment.externalID)
                } catch {
                    result.breaches.append("payment \(payment.externalID): \(error.message)")
                }
            }
            return result
        }
    }

    /// SQLite's quick check of the ledger's pages, each problem in words; empty when sound. What
    /// `serve` runs before it answers anything.
    public func quickCheck() -> [String] {
        store.quickCheck()
    }

    /// Writes a consistent copy of the ledger to a new file, even while the service writes, and
    /// checks the copy with ``verify()``.
    /// - Returns: the copy's verification.
    public func backup(to path: String) async throws -> Verification {
        try store.backup(to: path)
        let copy = Operations(store: try LedgerStore(path: path), clock: clock)
        defer { try? copy.store.close() }
        return try await copy.verify()
    }

    /// Replaces the ledger at `target` with the backup at `source`, after checking the backup.
    /// An existing ledger is overwritten only with `force` (stop the service first).
    public static func restore(from source: String, to target: String, force: Bool, clock: WallClock = .system)
        async throws -> Verification
    {
        guard FileManager.default.fileExists(atPath: source) else {
            throw PledgerError(.notFound, code: "backup_not_found", field: "from", message: "no backup at \(source)")
        }
        guard force || !FileManager.default.fileExists(atPath: target) else {
            throw PledgerError(
                .refused, code: "ledger_exists", field: "db",
                message: "\(target) already holds a ledger; stop the service and pass --force to overwrite it")
        }
        let backup = Operations(store: try LedgerStore(path: source), clock: clock)
        defer { try? backup.store.close() }
        let check = try await backup.verify()
        guard check.holds else {
            throw PledgerError(
                .refused, code: "backup_breached", field: "from",
                message: "the backup fails verify: \(check.breaches[0])")
        }
        let destination = try LedgerStore(path: target)
        defer { try? destination.close() }
        try destination.restore(from: backup.store)
        return try await Operations(store: destination, clock: clock).verify()
    }

    /// Erases a supporter's personal data on request: e-mail and external ref become a tombstone
    /// (also inside stored webhook payloads), money records and reports stay as they are, and the
    /// e-mail can no longer be found.
    public func erase(email: String) async throws -> (supporterID: ID<Supporter>, pledges: Int) {
        // Looked up without the shape rules, so an address stored before them can still be erased.
        let address = try EmailAddress.lookupKey(email)
        let now = clock.now
        return try await store.transaction { session in
            guard let supporter = try session.supporter(email: address) else {
                throw PledgerError.supporterNotFound(email: address)
            }
            let pledges = try session.pledges(status: nil, email: address, limit: 10_000, after: nil).count
            _ = try session.eraseSupporter(id: supporter.id, email: supporter.email, at: now)
            // Events not yet delivered, and the outbox's history, keep no personal data either.
            for event in try session.events(supporterID: supporter.id) {
                if let erased = event.erasingPersonalData() {
                    try session.replaceErasedEventBody(sequence: erased.sequence, body: erased.body, at: now)
                }
            }
            // Their links stop working, and box requests awaiting confirmation go, e-mail included.
            try SupporterService.revokeLinks(session, supporter.id, at: now)
            try session.eraseSupporterRequestNotes(supporterID: supporter.id)
            for request in try session.reminderRequests(email: address) {
                try BoxService.forget(session, request, at: now)
            }
            _ = try session.appendEvent(.supporterErased(supporter.id, at: now), recordedAt: now)
            return (supporter.id, pledges)
        }
    }

    // MARK: Tokens

    /// Creates an API token and returns it — the only time it is ever shown; only its SHA-256 is stored.
    public func createToken(name: String, scopes: Set<APIScope>) async throws -> (token: String, record: APIToken) {
        let name = try APIToken.checkName(name)
        guard !scopes.isEmpty else { throw PledgerError.invalid("scope", "must name at least one scope") }
        let token = "plg_" + Hex.encode(Crypto.randomBytes(32))
        let now = clock.now
        let record = try await store.transaction { session in
            if let existing = try session.token(name: name) {
                let state = existing.revokedAt == nil ? "exists" : "was revoked; names are not reused"
                throw PledgerError(
                    .conflict, code: "token_exists", field: "name", message: "a token named \(name) \(state)")
            }
            try session.insertToken(name: name, tokenHash: Crypto.sha256Hex(Array(token.utf8)), scopes: scopes, at: now)
            return try session.token(name: name)!
        }
        return (token, record)
    }

    public func tokens() async throws -> [APIToken] {
        try await store.snapshot { try $0.tokens() }
    }

    /// Revokes a token from now on; requests carrying it are refused with 401.
    public func revokeToken(name: String) async throws -> APIToken {
        let now = clock.now
        return try await store.transaction { session in
            guard let token = try session.token(name: name) else { throw PledgerError.notFound("token", name) }
            guard token.revokedAt == nil else {
                throw PledgerError(
                    .refused, code: "token_revoked", field: "name", message: "token \(name) is already revoked")
            }
            try session.revokeToken(name: name, at: now)
            return try session.token(name: name)!
        }
    }

    /// The live token a bearer string stands for, or nil.
    public func authenticate(bearer: String) async throws -> APIToken? {
        let hash = Crypto.sha256Hex(Array(bearer.utf8))
        return try await store.snapshot { try $0.liveToken(hash: hash) }
    }

    /// Whether the database answers a query.
    public func isHealthy() async -> Bool {
        (try? await store.snapshot { try $0.ping() }) ?? false
    }
}
