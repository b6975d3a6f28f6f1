import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    /// Calls `body` with each ledger transaction that happened in `[from, to)` (either bound may
    /// be open), oldest first, with its postings in line order.
    public func forEachLedgerEntry(from: Date?, to: Date?, _ body: (LedgerEntry) throws -> Void) throws {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let from {
            conditions.append("t.occurred_at >= ?")
            arguments += [ms(from)]
        }
        if let to {
            conditions.append("t.occurred_at < ?")
            arguments += [ms(to)]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT t.id, t.kind, t.processor, t.external_id, t.occurred_at,
                       (SELECT id FROM pledges
                        WHERE seq = COALESCE(y.pledge_seq, (SELECT z.pledge_seq FROM payments z WHERE z.seq = r.payment_seq)))
                           AS pledge_id,
                       a.name AS account, p.currency, p.amount
                FROM ledger_transactions t
                JOIN ledger_postings p ON p.transaction_seq = t.seq
                JOIN ledger_accounts a ON a.id = p.account_id
                LEFT JOIN payments y ON y.seq = t.seq
                LEFT JOIN reversals r ON r.seq = t.seq
                \(filter)
                ORDER BY t.occurred_at, t.id, p.line
                """,
            arguments: arguments)
        var current: (row: LedgerEntry, lines: [LedgerEntry.Line])?
        while let row = try cursor.next() {
            let id: ID<LedgerTransaction> = row["id"]
            if current?.row.id != id {
                if let current { try body(current.row.with(current.lines)) }
                current = (
                    LedgerEntry(
                        id: id, kind: row["kind"], processor: row["processor"], externalID: row["external_id"],
                        occurredAt: date(row["occurred_at"]), pledgeID: row["pledge_id"], lines: []),
                    []
                )
            }
            current?.lines.append(
                LedgerEntry.Line(account: row["account"], currency: row["currency"], amount: row["amount"]))
        }
        if let current { try body(current.row.with(current.lines)) }
    }

    /// Every account used before `to` (all when nil), with the currencies posted to it and its first use.
    public func ledgerAccounts(before to: Date?) throws -> [(account: String, currencies: [String], firstUsed: Date)] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.name AS account, p.currency, MIN(t.occurred_at) AS first_used
                FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.transaction_seq
                JOIN ledger_accounts a ON a.id = p.account_id
                \(to == nil ? "" : "WHERE t.occurred_at < ?")
                GROUP BY a.name, p.currency ORDER BY a.name, p.currency
                """,
            arguments: to.map { [ms($0)] } ?? [])
        var result: [(account: String, currencies: [String], firstUsed: Date)] = []
        for row in rows {
            let account: String = row["account"]
            let first = date(row["first_used"])
            if result.last?.account == account {
                result[result.count - 1].currencies.append(row["currency"])
                result[result.count - 1].firstUsed = min(result[result.count - 1].firstUsed, first)
            } else {
                result.append((account, [row["currency"]], first))
            }
        }
        return result
    }

    /// The balance of every account whose name starts with `prefix`, per currency, from all
    /// transactions before `instant` (zero balances left out).
    public func balances(before instant: Date, prefix: String) throws -> [(
        account: String, currency: String, amount: Int64
    )] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT a.name AS account, p.currency, SUM(p.amount) AS total
                FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_seq = t.seq
                JOIN ledger_accounts a ON a.id = p.account_id
                WHERE t.occurred_at < ? AND substr(a.name, 1, ?) = ?
                GROUP BY a.name, p.currency HAVING SUM(p.amount) <> 0
                ORDER BY a.name, p.currency
                """,
            arguments: [ms(instant), prefix.count, prefix]
        ).map { ($0["account"], $0["currency"], $0["total"]) }
    }
}

extension LedgerEntry {
    fileprivate func with(_ lines: [Line]) -> LedgerEntry {
        LedgerEntry(
            id: id, kind: kind, processor: processor, externalID: externalID, occurredAt: occurredAt,
            pledgeID: pledgeID, lines: lines)
    }
}
