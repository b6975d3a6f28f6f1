import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// What `pledger verify` reads. The rules themselves (balance, refund limits) are Core's;
/// these methods stream the rows through them without loading the ledger into memory.
extension StoreSession {
    /// SQLite's own checks: page integrity, foreign keys, the append-only triggers, and the hash chain.
    public func storageBreaches() throws -> [String] {
        var breaches: [String] = []
        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        if integrity != ["ok"] {
            breaches.append("SQLite integrity check failed: \(integrity.prefix(3).joined(separator: "; "))")
        }
        if let row = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
            breaches.append(
                "table \(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) points at a missing \(row[2] as String? ?? "?") row"
            )
        }
        let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        for table in Self.appendOnlyTables {
            for action in ["update", "delete"] where !triggers.contains("\(table)_no_\(action)") {
                breaches.append("table \(table) has lost its append-only trigger \(table)_no_\(action)")
            }
        }
        if let breach = try chainBreach() {
            breaches.append(breach)
        }
        breaches += try factBreaches()
        breaches += try pauseBreaches()
        breaches += try cadenceBreaches()
        breaches += try staleMRRCheckpoints()
        breaches += try unsummableAmounts()
        breaches += try receiptSumBreaches()
        return breaches
    }

    /// Pauses that disagree with the pledge's history: MRR reads `pledge_pauses`, and
    /// `pledge_events` is the history they are written from. Each pause began with a move to
    /// `paused` at its instant, each ended one with a move out of `paused` no later than its end,
    /// and a pledge has an open pause exactly when it is paused now.
    func pauseBreaches() throws -> [String] {
        var breaches: [String] = []
        for pledgeID in try fetchAll(
            String.self,
            sql: """
                SELECT z.pledge_id FROM pledge_pauses z
                WHERE NOT EXISTS (SELECT 1 FROM pledge_events e WHERE e.pledge_id = z.pledge_id AND e.kind = 'status'
                                    AND e.to_status = 'paused' AND e.occurred_at = z.paused_at)
                   OR (z.resumed_at IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM pledge_events e WHERE e.pledge_id = z.pledge_id AND e.kind = 'status'
                          AND e.from_status = 'paused' AND e.occurred_at <= z.resumed_at))
                   OR (z.resumed_at IS NULL AND (SELECT status FROM pledges WHERE id = z.pledge_id) <> 'paused')
                UNION
                SELECT id FROM pledges p WHERE p.status = 'paused'
                  AND NOT EXISTS (SELECT 1 FROM pledge_pauses z WHERE z.pledge_id = p.id AND z.resumed_at IS NULL)
                LIMIT 5
                """)
        {
            breaches.append("pledge \(pledgeID): its pauses no longer agree with its status moves")
        }
        let moves =
            try fetchOne(
                Int64.self, sql: "SELECT COUNT(*) FROM pledge_events WHERE kind = 'status' AND to_status = 'paused'")
            ?? 0
        let pauses = try fetchOne(Int64.self, sql: "SELECT COUNT(*) FROM pledge_pauses") ?? 0
        if moves != pauses {
            breaches.append("\(moves) moves to paused are recorded but \(pauses) pauses")
        }
        return breaches
    }

    /// Pledges whose amount history disagrees with the pledge: MRR weighs each `created` and
    /// `amount` event's amount by that event's cadence, and `pledges` keeps the current amount and
    /// cadence, written with the event; so the latest recorded such event carries both, and every
    /// such event a cadence.
    func cadenceBreaches() throws -> [String] {
        try fetchAll(
            String.self,
            sql: """
                SELECT p.id FROM pledges p
                WHERE NOT EXISTS (
                    SELECT 1 FROM (SELECT e.amount, e.cadence FROM pledge_events e INDEXED BY pledge_events_amounts
                                   WHERE e.pledge_id = p.id AND e.kind IN ('created', 'amount')
                                   ORDER BY e.seq DESC LIMIT 1) l
                    WHERE l.amount = p.amount AND l.cadence = p.cadence)
                UNION
                SELECT pledge_id FROM pledge_events WHERE kind IN ('created', 'amount') AND cadence IS NULL
                LIMIT 5
                """
        ).map { "pledge \($0): its amount or cadence disagrees with its latest amount event" }
    }

    /// Payments and reversals whose amount, fee, currency, cadence, kind or instant disagree with
    /// their ledger transaction. Reports sum these rows (narrow and indexed) rather than the
    /// postings, and only the postings are in the hash chain, so this is what ties the two.
    func factBreaches() throws -> [String] {
        var breaches: [String] = []
        let income = "substr(a.name, 1, 17) = 'income:donations:'"
        let fees = "substr(a.name, 1, 14) = 'expenses:fees:'"
        let postings = "ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id"
        for externalID in try fetchAll(
            String.self,
            sql: """
                SELECT t.external_id FROM payments y JOIN ledger_transactions t ON t.seq = y.seq
                WHERE t.kind <> 'payment' OR t.occurred_at <> y.occurred_at
                   OR y.amount IS NOT -(SELECT SUM(p.amount) FROM \(postings) WHERE p.transaction_seq = t.seq AND \(income) AND p.currency = y.currency)
                   OR y.fee <> (SELECT COALESCE(SUM(p.amount), 0) FROM \(postings) WHERE p.transaction_seq = t.seq AND \(fees) AND p.currency = y.currency)
                   OR NOT EXISTS (SELECT 1 FROM \(postings) WHERE p.transaction_seq = t.seq AND a.name = 'income:donations:' || y.cadence)
                ORDER BY y.seq LIMIT 5
                """)
        {
            breaches.append(
                "payment \(externalID) no longer agrees with its ledger transaction (amount, fee, currency, cadence or time)"
            )
        }
        for externalID in try fetchAll(
            String.self,
            sql: """
                SELECT t.external_id FROM reversals r JOIN ledger_transactions t ON t.seq = r.seq
                WHERE t.kind <> r.kind OR t.occurred_at <> r.occurred_at
                   OR r.amount IS NOT (SELECT SUM(p.amount) FROM \(postings) WHERE p.transaction_seq = t.seq AND \(income) AND p.currency = r.currency)
                   OR r.fee <> (SELECT COALESCE(SUM(p.amount), 0) FROM \(postings) WHERE p.transaction_seq = t.seq AND \(fees) AND p.currency = r.currency)
                ORDER BY r.seq LIMIT 5
                """)
        {
            breaches.append(
                "\(externalID) no longer agrees with its ledger transaction (amount, fee, currency, kind or time)")
        }
        return breaches
    }

    /// Tables that refuse UPDATE and DELETE.
    public static let appendOnlyTables = [
        "ledger_transactions", "ledger_postings", "ledger_accounts", "payments", "reversals", "pledge_events",
        "reminder_events",
    ]

    /// Calls `body` with each ledger transaction's id and postings, in the order they were booked,
    /// one at a time. Postings in an unknown currency are reported through `unknownCurrency`.
    public func forEachTransaction(
        _ body: (_ id: ID<LedgerTransaction>, _ postings: [Posting]) throws -> Void,
        unknownCurrency: (_ id: ID<LedgerTransaction>, _ code: String) throws -> Void
    ) throws {
        var currencies: [String: Currency] = [:]
        try forEachStoredTransaction { transaction, lines in
            let id = ID<LedgerTransaction>(transaction.id)
            var postings: [Posting] = []
            for line in lines {
                guard let currency = currencies[line.currency] ?? Currency(code: line.currency) else {
                    try unknownCurrency(id, line.currency)
                    continue
                }
                currencies[line.currency] = currency
                postings.append(Posting(line.account, Money(minorUnits: line.amount, currency: currency)))
            }
            try body(id, postings)
            return true
        }
    }

    /// Calls `body` with each payment that has reversals and the total reversed.
    public func forEachReversedPayment(
        _ body: (_ payment: Payment, _ reversed: Money, _ currencyMismatch: Bool) throws -> Void
    ) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT p.*, SUM(r.amount) AS reversed, MAX(r.currency <> p.currency) AS mismatch
                FROM reversals r CROSS JOIN payment_facts p ON p.seq = r.payment_seq
                GROUP BY p.seq ORDER BY p.id
                """)
        while let row = try cursor.next() {
            let payment = try Self.payment(row)
            let currency = payment.amount.currency
            try body(payment, Money(minorUnits: row["reversed"], currency: currency), row["mismatch"])
        }
    }
}
