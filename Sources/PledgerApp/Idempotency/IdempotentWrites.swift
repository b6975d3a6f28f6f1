import Foundation
import PledgerCore
import PledgerStoreInterface

/// Writes that run at most once per `Idempotency-Key`: the first response is remembered in the
/// same transaction as the write, and a retry gets it back.
public struct IdempotentWrites: Sendable {
    let store: any TransactionalStore
    let clock: WallClock

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
        render: @escaping @Sendable (T) -> ReplayableResponse
    ) async throws -> (response: ReplayableResponse, replayed: Bool) {
        guard let claim else { return (render(try await operation(nil)), false) }
        if let replay = try await remembered(claim) { return (replay, true) }
        let now = clock.now
        do {
            let hook = CommitHook<T> { session, value in
                let response = render(value)
                try session.rememberResponse(
                    owner: claim.owner, key: claim.key, fingerprint: claim.fingerprint, status: response.status,
                    body: response.body, at: now)
                try session.forgetResponses(before: now.addingTimeInterval(-2 * Self.idempotencyRetention))
            }
            let value = try await operation(hook)
            return (render(value), false)
        } catch is IdempotencyKeyTaken {
            // A concurrent request with the same key won; its effect stands and ours was rolled back.
            guard let replay = try await remembered(claim) else {
                throw PledgerError(
                    .conflict, code: "idempotency_key_in_use",
                    message: "a request with this Idempotency-Key is still being processed")
            }
            return (replay, true)
        }
    }

    private func remembered(_ claim: IdempotencyClaim) async throws -> ReplayableResponse? {
        guard let found = try await store.snapshot({ try $0.rememberedResponse(owner: claim.owner, key: claim.key) })
        else {
            return nil
        }
        guard found.fingerprint == claim.fingerprint else {
            throw PledgerError(
                .conflict, code: "idempotency_key_reused", field: "Idempotency-Key",
                message: "this Idempotency-Key was already used for a different request")
        }
        return ReplayableResponse(status: found.status, body: found.body)
    }
}
