import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The length of a receipt-sum bucket: a quarter-hour, in milliseconds. Every time zone's month
/// starts on a quarter-hour, so a month in any of them is a whole range of buckets.
let receiptBucketMillis: Int64 = 900_000

/// `value / divisor` rounded towards negative infinity (Swift's `/` truncates towards zero), as
/// the sums' buckets are for instants before 1970.
func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
}

/// Where a report reads the figures that are kept twice: from the sums the triggers keep as rows
/// are written (what reports use), or recomputed from the rows themselves (what the sums are
/// checked against).
public enum ReportBasis: Sendable, Equatable {
    case sums
    case rows
}

extension StoreSession {
    /// Every receipt sum that differs from what the payment and reversal rows give, named by its
    /// quarter-hour or UTC day, currency and cadence or kind; empty when all agree. The sums are
    /// kept by triggers (migrations 0022 and 0025) and reports read them instead of the rows.
    public func receiptSumBreaches() throws -> [String] {
        var breaches: [String] = []
        let tables: [(rows: String, key: String, count: String, amount: String)] = [
            ("payments", "cadence", "payments", "gross"),
            ("reversals", "kind", "reversals", "amount"),
        ]
        let spans: [(sums: String, column: String, millis: Int64, name: String)] = [
            ("sums", "bucket", receiptBucketMillis, "quarter-hour"),
            ("day_sums", "day", receiptBucketMillis * 96, "UTC day"),
        ]
        for table in tables {
            for span in spans {
                let sums = "\(table.rows.dropLast())_\(span.sums)"
                let recomputed = """
                    SELECT occurred_at / \(span.millis) - (occurred_at % \(span.millis) < 0) AS bucket, currency,
                           \(table.key) AS key, COUNT(*) AS n, SUM(amount) AS amount, SUM(fee) AS fees
                    FROM \(table.rows) GROUP BY 1, 2, 3
                    """
                let kept = """
                    SELECT \(span.column) AS bucket, currency, \(table.key) AS key, \(table.count) AS n,
                           \(table.amount) AS amount, fees
                    FROM \(sums)
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
                    let stored = try Row.fetchOne(
                        db, sql: kept + " WHERE \(span.column) = ? AND currency = ? AND \(table.key) = ?",
                        arguments: [bucket, currency, key])
                    let actual = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) AS n, SUM(amount) AS amount, SUM(fee) AS fees FROM \(table.rows)
                            WHERE occurred_at >= ? AND occurred_at < ? AND currency = ? AND \(table.key) = ?
                            """,
                        arguments: [bucket * span.millis, (bucket + 1) * span.millis, currency, key])
                    breaches.append(
                        "the receipt sums of the \(span.name) from \(Timestamp.format(date(bucket * span.millis))) "
                            + "(\(span.column) \(bucket)), \(currency) \(key), say "
                            + "\(Self.describeSum(stored, table.rows)) but the \(table.rows) give "
                            + Self.describeSum(actual, table.rows))
                }
            }
        }
        return breaches
    }

    private static func describeSum(_ row: Row?, _ what: String) -> String {
        guard let row, let n = row["n"] as Int64?, n != 0 else { return "no \(what)" }
        return "\(n) \(what) of \(row["amount"] as Int64? ?? 0) (fees \(row["fees"] as Int64? ?? 0))"
    }
}
