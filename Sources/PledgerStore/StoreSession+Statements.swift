import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

// MARK: - Receipts, giving statements, lapsed supporters

extension StoreSession {
    /// The supporter a payment row `py` (joined with its pledge `pl`) belongs to.
    private static let owner = "COALESCE(py.supporter_id, pl.supporter_id)"

    public func receipt(supporterID: ID<Supporter>, paymentID: ID<Payment>) throws -> (
        payment: Payment, receipt: ReceiptNumber?, refunded: Int64, chargedBack: Int64
    )? {
        guard
            let row = try fetchRow(
                sql: """
                    SELECT py.*, r.year AS receipt_year, r.sequence AS receipt_sequence,
                           (SELECT COALESCE(SUM(amount), 0) FROM reversals WHERE payment_seq = py.seq AND kind = 'refund') AS refunded,
                           (SELECT COALESCE(SUM(amount), 0) FROM reversals WHERE payment_seq = py.seq AND kind = 'chargeback') AS charged_back
                    FROM payment_facts py LEFT JOIN pledges pl ON pl.id = py.pledge_id
                    LEFT JOIN receipt_numbers r ON r.payment_id = py.id
                    WHERE py.id = ? AND \(Self.owner) = ?
                    """,
                arguments: [paymentID, supporterID])
        else { return nil }
        let receipt = (row["receipt_year"] as Int?).map { ReceiptNumber(year: $0, sequence: row["receipt_sequence"]) }
        return (try Self.payment(row), receipt, row["refunded"], row["charged_back"])
    }

    public func statementEntries(supporterID: ID<Supporter>?, from: Date, to: Date) throws -> [(
        supporterID: ID<Supporter>, email: String?, entry: GivingStatement.Entry
    )] {
        // One supporter: through their pledges, by index (a payment has a supporter only through its
        // pledge), naming the payments by key so the view's joins start from them.
        let only =
            supporterID == nil
            ? ""
            : """
             AND py.seq IN (SELECT y.seq FROM pledges o JOIN payments y ON y.pledge_seq = o.seq
                            WHERE o.supporter_id = :supporter)
            """
        var arguments: [String: (any DatabaseValueConvertible)?] = ["from": ms(from), "to": ms(to)]
        if let supporterID { arguments["supporter"] = supporterID.rawValue }
        let rows = try fetchRows(
            sql: """
                WITH e(supporter_id, kind, payment_id, cadence, currency, amount, at) AS (
                    SELECT \(Self.owner), 'payment', py.id, py.cadence, py.currency, py.amount, py.occurred_at
                    FROM payment_facts py LEFT JOIN pledges pl ON pl.id = py.pledge_id
                    WHERE py.occurred_at >= :from AND py.occurred_at < :to\(only)
                    UNION ALL
                    SELECT \(Self.owner), v.kind, py.id, py.cadence, v.currency, v.amount, v.occurred_at
                    FROM reversals v JOIN payment_facts py ON py.seq = v.payment_seq LEFT JOIN pledges pl ON pl.id = py.pledge_id
                    WHERE v.occurred_at >= :from AND v.occurred_at < :to\(only)
                )
                SELECT e.*, s.email, r.year AS receipt_year, r.sequence AS receipt_sequence
                FROM e JOIN supporters s ON s.id = e.supporter_id
                LEFT JOIN receipt_numbers r ON r.payment_id = e.payment_id
                ORDER BY e.supporter_id, e.at, e.kind <> 'payment', e.payment_id
                """,
            arguments: StatementArguments(arguments))
        return try rows.map { row in
            let currency = try decodeCurrency(row, table: "payments")
            let receipt = (row["receipt_year"] as Int?).map {
                ReceiptNumber(year: $0, sequence: row["receipt_sequence"])
            }
            let entry = GivingStatement.Entry(
                kind: try decode(row, "kind", as: GivingStatement.Entry.Kind.self, table: "reversals"),
                paymentID: row["payment_id"], receipt: receipt,
                cadence: try decode(row, "cadence", as: Cadence.self, table: "payments"),
                amount: Money(minorUnits: row["amount"], currency: currency), occurredAt: date(row["at"]))
            return (row["supporter_id"], row["email"], entry)
        }
    }

    public func firstPaymentAt() throws -> Date? {
        try fetchOne(Int64.self, sql: "SELECT MIN(occurred_at) FROM payments").map(date)
    }

    public func netsByYear(_ years: [(year: Int, start: Date, end: Date)]) throws -> [LapsedReport.YearNet] {
        guard let first = years.first, let last = years.last else { return [] }
        var arguments = StatementArguments()
        let values = years.map { year -> String in
            arguments += [year.year, ms(year.start), ms(year.end)]
            return "(?, ?, ?)"
        }
        arguments += [ms(first.start), ms(last.end), ms(first.start), ms(last.end)]
        return try fetchRows(
            sql: """
                WITH y(year, lo, hi) AS (VALUES \(values.joined(separator: ", "))),
                e(supporter_id, currency, amount, at) AS (
                    SELECT \(Self.owner), py.currency, py.amount, py.occurred_at
                    FROM payment_facts py LEFT JOIN pledges pl ON pl.id = py.pledge_id
                    WHERE py.occurred_at >= ? AND py.occurred_at < ?
                    UNION ALL
                    SELECT \(Self.owner), v.currency, -v.amount, v.occurred_at
                    FROM reversals v JOIN payment_facts py ON py.seq = v.payment_seq LEFT JOIN pledges pl ON pl.id = py.pledge_id
                    WHERE v.occurred_at >= ? AND v.occurred_at < ?
                )
                SELECT e.supporter_id, s.email, e.currency, y.year, SUM(e.amount) AS net
                FROM e JOIN y ON e.at >= y.lo AND e.at < y.hi JOIN supporters s ON s.id = e.supporter_id
                GROUP BY e.supporter_id, e.currency, y.year
                """,
            arguments: arguments
        ).map {
            LapsedReport.YearNet(
                supporterID: $0["supporter_id"], email: $0["email"], currency: $0["currency"], year: $0["year"],
                net: $0["net"])
        }
    }
}
