import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    /// Amounts no report can sum: any single amount above ``MaximumAmountPolicy/ceilingMinorUnits``,
    /// or a currency whose payments (or pledges) add up to more than `Int64` can hold twelve times
    /// (ARR is 12 × MRR). Written by an older binary or by hand, such a row made `report monthly`
    /// fail for the whole ledger while `verify` said OK.
    func unsummableAmounts() throws -> [String] {
        let ceiling = MaximumAmountPolicy.ceilingMinorUnits
        var breaches: [String] = []
        // Payments and reversals are named by their transaction's external id (migration 0023).
        let tables: [(table: String, what: String, name: String)] = [
            ("payments x JOIN ledger_transactions t ON t.seq = x.seq", "payment", "t.external_id"),
            ("reversals x JOIN ledger_transactions t ON t.seq = x.seq", "reversal", "t.external_id"),
            ("pledges x", "pledge", "x.id"),
        ]
        for (table, what, name) in tables {
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT \(name) AS name, x.currency, x.amount FROM \(table)
                    WHERE x.amount > ? OR x.amount < 0 ORDER BY x.rowid LIMIT 5
                    """,
                arguments: [ceiling])
            {
                let amount: Int64 = row["amount"]
                let currency: String = row["currency"]
                breaches.append(
                    "\(what) \(row["name"] as String) has an amount of \(amount) minor units of \(currency), above \(ceiling), the largest a report can sum"
                )
            }
        }
        if let transaction = try String.fetchOne(
            db,
            sql: """
                SELECT t.id FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.transaction_seq
                WHERE p.amount > ? OR p.amount < ? LIMIT 1
                """,
            arguments: [ceiling, -ceiling])
        {
            breaches.append(
                "ledger transaction \(transaction) has a posting above \(ceiling) minor units, the largest a report can sum"
            )
        }
        // TOTAL() sums in floating point, so it cannot itself overflow while it looks.
        for table in ["payments", "pledges"] {
            for row in try Row.fetchAll(
                db, sql: "SELECT currency, TOTAL(amount) AS total FROM \(table) GROUP BY currency HAVING total > ?",
                arguments: [Double(Int64.max) / 12])
            {
                breaches.append("the \(table) in \(row["currency"] as String) add up to more than a report can sum")
            }
        }
        return breaches
    }
}
