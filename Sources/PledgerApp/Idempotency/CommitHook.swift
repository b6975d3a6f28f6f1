import PledgerStoreInterface

/// Called inside a use case's transaction with its result, so something can be written atomically
/// with the effect (an idempotency record). Only ``IdempotentWrites`` makes one.
public struct CommitHook<T>: Sendable {
    let run: @Sendable (any IdempotencyRecords, T) throws -> Void
}
