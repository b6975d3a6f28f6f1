import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The length of a receipt-sum bucket: a quarter-hour, in milliseconds. Every time zone's month
/// starts on a quarter-hour, so a month in any of them is a whole range of buckets.
let receiptBucketMillis: Int64 = 900_000

/// Where a report reads the figures that are kept twice: from the sums the triggers keep as rows
/// are written (what reports use), or recomputed from the rows themselves (what the sums are
/// checked against).
public enum ReportBasis: Sendable, Equatable {
    case sums
    case rows
}

extension StoreSession {
    /// The quarter-hour bucket of an instant column, floored: SQLite's `/` truncates towards zero.
    static func bucket(of column: String) -> String {
        "(\(column) / \(receiptBucketMillis) - (\(column) % \(receiptBucketMillis) < 0))"
    }

    /// Every receipt sum that differs from what the payment and reversal rows give, named by its
    /// quarter-hour, currency and cadence or kind; empty when all agree. The sums are kept by
    /// triggers (migration 0022) and reports read them instead of the rows.
    public func receiptSumBreaches() throws -> [String] {
        var breaches: [String] = []
        let tables: [(sums: String, rows: String, key: String, count: String, amount: String, what: String)] = [
            ("payment_sums", "payments", "cadence", "payments", "gross", "payments"),
            ("reversal_sums", "reversals", "kind", "reversals", "amount", "reversals"),
        ]
        for table in tables {
            let recomputed = """
                SELECT \(Self.bucket(of: "occurred_at")) AS bucket, currency, \(table.key) AS key, COUNT(*) AS n,
                       SUM(amount) AS amount, SUM(fee) AS fees
                FROM \(table.rows) GROUP BY 1, 2, 3
                """
            let kept = """
                SELECT bucket, currency, \(table.key) AS key, \(table.count) AS n, \(table.amount) AS amount, fees
                FROM \(table.sums)
                """
            let differences = try Row.fetchAll(
                db,
                sql: """
                    WITH kept AS (\(kept)), recomputed AS (\(recomputed))
                    SELECT bucket, currency, key FROM (SELECT * FROM kept EXCEPT SELECT * FROM recomputed)
                    UNION
                    SELECT bucket, currency, key FROM (SELECT * FROM recomputed EXCEPT SELECT * FROM kept)
                    ORDER BY 1, 2, 3 LIMIT 5
                    """)
            for difference in differences {
                let bucket: Int64 = difference["bucket"]
                let currency: String = difference["currency"]
                let key: String = difference["key"]
                let arguments: StatementArguments = [bucket, currency, key]
                let stored = try Row.fetchOne(
                    db, sql: kept + " WHERE bucket = ? AND currency = ? AND \(table.key) = ?", arguments: arguments)
                let actual = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS n, SUM(amount) AS amount, SUM(fee) AS fees FROM \(table.rows)
                        WHERE occurred_at >= ? AND occurred_at < ? AND currency = ? AND \(table.key) = ?
                        """,
                    arguments: [bucket * receiptBucketMillis, (bucket + 1) * receiptBucketMillis, currency, key])
                breaches.append(
                    "the receipt sums of the quarter-hour from \(Timestamp.format(date(bucket * receiptBucketMillis))) "
                        + "(bucket \(bucket)), \(currency) \(key), say \(Self.describeSum(stored, table.what)) "
                        + "but the \(table.rows) give \(Self.describeSum(actual, table.what))")
            }
        }
        return breaches
    }

    private static func describeSum(_ row: Row?, _ what: String) -> String {
        guard let row, let n = row["n"] as Int64?, n != 0 else { return "no \(what)" }
        return "\(n) \(what) of \(row["amount"] as Int64? ?? 0) (fees \(row["fees"] as Int64? ?? 0))"
    }
}
