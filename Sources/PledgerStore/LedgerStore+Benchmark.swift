import Foundation
import GRDB

extension LedgerStore {
    /// The benchmark's baseline: one hand-written aggregate over a month's postings — what a
    /// report cannot be faster than.
    public func benchmarkAggregate(from start: Date, to end: Date) async throws -> Int {
        try await read { session in
            try Row.fetchAll(
                session.db,
                sql: """
                    SELECT p.currency, p.account, SUM(p.amount) FROM ledger_transactions t
                    JOIN ledger_postings p ON p.transaction_id = t.id
                    WHERE t.occurred_at >= ? AND t.occurred_at < ? GROUP BY p.currency, p.account
                    """,
                arguments: [ms(start), ms(end)]
            ).count
        }
    }

    /// The narrowest single query over a month's receipts: the payments' covering index.
    public func benchmarkReceipts(from start: Date, to end: Date) async throws -> Int {
        try await read { session in
            try Row.fetchAll(
                session.db,
                sql: """
                    SELECT currency, cadence, COUNT(*), SUM(amount), SUM(fee) FROM payments INDEXED BY payments_receipts
                    WHERE occurred_at >= ? AND occurred_at < ? GROUP BY currency, cadence
                    """,
                arguments: [ms(start), ms(end)]
            ).count
        }
    }

    /// How many payments a month holds: the activity a report's time should follow.
    public func benchmarkActivity(from start: Date, to end: Date) async throws -> Int {
        try await read { session in
            try Int.fetchOne(
                session.db, sql: "SELECT COUNT(*) FROM payments WHERE occurred_at >= ? AND occurred_at < ?",
                arguments: [ms(start), ms(end)]) ?? 0
        }
    }
}
