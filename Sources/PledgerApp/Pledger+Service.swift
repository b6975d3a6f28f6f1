import Foundation
import PledgerCore
import PledgerStore
import PledgerWebhooks

/// Called inside a use case's transaction with its result, so something can be written
/// atomically with the effect (an idempotency record).
public typealias CommitHook<T> = @Sendable (StoreSession, T) throws -> Void

/// A client's claim on an `Idempotency-Key`.
public struct IdempotencyClaim: Sendable, Equatable {
    /// Who the key belongs to (the token's name): keys of different clients never collide.
    public var owner: String
    public var key: String
    /// SHA-256 of the request's method, path and body.
    public var fingerprint: String

    public init(owner: String, key: String, method: String, path: String, body: [UInt8]) {
        self.owner = owner
        self.key = key
        self.fingerprint = Crypto.sha256Hex(Array("\(method) \(path)\n".utf8) + body)
    }

    /// Checks a key: 1–200 visible ASCII characters.
    public static func checkKey(_ text: String) throws(PledgerError) -> String {
        guard (1...200).contains(text.count), text.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline })
        else {
            throw .invalid("Idempotency-Key", "must be 1–200 visible ASCII characters")
        }
        return text
    }
}

extension Pledger {
    /// How long idempotency keys are remembered at least.
    public static let idempotencyRetention: TimeInterval = 24 * 3600

    /// Runs a write at most once per idempotency claim. The same key with the same request replays
    /// the first response without a second effect; with another request it is refused (409).
    /// - Parameters:
    ///   - operation: the use case, given the hook to call inside its transaction.
    ///   - render: the response to remember for a result.
    /// - Returns: the response and whether it was replayed.
    public func once<T: Sendable>(
        _ claim: IdempotencyClaim?,
        operation: (CommitHook<T>?) async throws -> T,
        render: @escaping @Sendable (T) -> RememberedResponse
    ) async throws -> (response: RememberedResponse, replayed: Bool) {
        guard let claim else { return (render(try await operation(nil)), false) }
        if let replay = try await remembered(claim) { return (replay, true) }
        let now = clock.now
        do {
            let value = try await operation { session, value in
                try session.rememberResponse(
                    owner: claim.owner, key: claim.key, fingerprint: claim.fingerprint, response: render(value), at: now
                )
                try session.forgetResponses(before: now.addingTimeInterval(-2 * Self.idempotencyRetention))
            }
            return (render(value), false)
        } catch StoreError.idempotencyKeyTaken {
            // A concurrent request with the same key won; its effect stands and ours was rolled back.
            guard let replay = try await remembered(claim) else { throw StoreError.idempotencyKeyTaken }
            return (replay, true)
        }
    }

    private func remembered(_ claim: IdempotencyClaim) async throws -> RememberedResponse? {
        guard let found = try await store.read({ try $0.rememberedResponse(owner: claim.owner, key: claim.key) }) else {
            return nil
        }
        guard found.fingerprint == claim.fingerprint else {
            throw PledgerError(
                .conflict, code: "idempotency_key_reused", field: "Idempotency-Key",
                message: "this Idempotency-Key was already used for a different request")
        }
        return found.response
    }

    // MARK: Tokens

    /// Creates an API token and returns it — the only time it is ever shown; only its SHA-256 is stored.
    public func createToken(name: String, scopes: Set<APIScope>) async throws -> (token: String, record: APIToken) {
        let name = try APIToken.checkName(name)
        guard !scopes.isEmpty else { throw PledgerError.invalid("scope", "must name at least one scope") }
        let token = "plg_" + Hex.encode(Crypto.randomBytes(32))
        let now = clock.now
        let record = try await store.write { session in
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
        try await store.read { try $0.tokens() }
    }

    /// Revokes a token from now on; requests carrying it are refused with 401.
    public func revokeToken(name: String) async throws -> APIToken {
        let now = clock.now
        return try await store.write { session in
            guard let token = try session.token(name: name) else { throw Self.notFound("token", name) }
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
        return try await store.read { try $0.liveToken(hash: hash) }
    }

    /// Whether the database answers a query.
    public func isHealthy() async -> Bool {
        (try? await store.read { try $0.ping() }) ?? false
    }
}
