import Foundation
import GRDB
import PledgerCore

/// The benchmark's hand-written SQL, run on its own read-only connection to the ledger file: the
/// baselines a report is measured against, kept out of the shipped store.
struct BaselineQueries {
    private let pool: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read { db in try body(db) }
    }

    /// The benchmark's baseline: one hand-written aggregate over a month's postings — what a
    /// report cannot be faster than.
    func aggregate(from start: Date, to end: Date) async throws -> Int {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.currency, p.account_id, SUM(p.amount) FROM ledger_transactions t
                    JOIN ledger_postings p ON p.transaction_seq = t.seq
                    WHERE t.occurred_at >= ? AND t.occurred_at < ? GROUP BY p.currency, p.account_id
                    """,
                arguments: [Timestamp.millis(start), Timestamp.millis(end)]
            ).count
        }
    }

    /// The narrowest single query over a month's receipts from the rows: the payments' month index.
    func receipts(from start: Date, to end: Date) async throws -> Int {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT currency, cadence, COUNT(*), SUM(amount), SUM(fee) FROM payments INDEXED BY payments_month
                    WHERE occurred_at >= ? AND occurred_at < ? GROUP BY currency, cadence
                    """,
                arguments: [Timestamp.millis(start), Timestamp.millis(end)]
            ).count
        }
    }

    /// How many payments a month holds: the activity a report's time should follow.
    func activity(from start: Date, to end: Date) async throws -> Int {
        try await read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM payments WHERE occurred_at >= ? AND occurred_at < ?",
                arguments: [Timestamp.millis(start), Timestamp.millis(end)]) ?? 0
        }
    }
}
