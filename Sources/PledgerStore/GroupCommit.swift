import Foundation
import GRDB
import Synchronization

/// Group commit: concurrent writes share one SQLite transaction, and so one fsync.
///
/// Each write runs in its own savepoint inside the shared transaction, so one that throws is
/// undone alone and the others still commit. A write alone in its group is the whole transaction,
/// with no savepoint: a savepoint copies every page the write changes aside (SQLite's statement
/// journal), which for an import's batch of thousands of rows was a second write of all of it. Every caller is resumed only after the shared
/// transaction has committed — nothing is acknowledged before it is durable — and if the commit
/// itself fails, every write of the group fails.
final class GroupCommitter: Sendable {
    /// One queued write: runs it on the database and reports its outcome once the group commits.
    private struct Item: Sendable {
        /// Runs the write in its own savepoint; a failure is undone alone and held for the caller.
        let run: @Sendable (Database) -> (@Sendable () -> Void)?
        /// Runs the write as the whole transaction: a failure throws, and the transaction rolls back.
        let runAlone: @Sendable (Database) throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var queue: [Item] = []
        var draining = false
        var transactions = 0
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    /// The most writes one transaction takes, so one group cannot hold the write lock for long.
    private let maxGroup: Int

    init(pool: DatabasePool, maxGroup: Int = 256) {
        self.pool = pool
        self.maxGroup = maxGroup
    }

    /// How many transactions have committed (or failed) so far: fewer than writes when grouped.
    var transactionCount: Int { state.withLock { $0.transactions } }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let item = Item(
                run: { db in
                    // The savepoint undoes this write alone if it throws; its result is held
                    // back until the group has committed.
                    let result: Result<T, any Error>
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        result = .success(value!)
                    } catch {
                        result = .failure(error)
                    }
                    return { continuation.resume(with: result) }
                },
                runAlone: { db in
                    let value = try body(db)
                    return { continuation.resume(returning: value) }
                },
                fail: { continuation.resume(throwing: $0) })
            let startDrain = state.withLock { state in
                state.queue.append(item)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain {
                Task { await self.drain() }
            }
        }
    }

    /// Commits queued writes group by group until the queue is empty.
    private func drain() async {
        while true {
            let batch: [Item] = state.withLock { state in
                let batch = Array(state.queue.prefix(maxGroup))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            state.withLock { $0.transactions += 1 }
            if let only = batch.first, batch.count == 1 {
                do {
                    let completion = try await pool.write { db in try only.runAlone(db) }
                    completion()
                } catch {
                    only.fail(error)
                }
                continue
            }
            do {
                let completions = try await pool.write { db in batch.map { $0.run(db) } }
                for completion in completions { completion?() }
            } catch {
                for item in batch { item.fail(error) }
            }
        }
    }
}
