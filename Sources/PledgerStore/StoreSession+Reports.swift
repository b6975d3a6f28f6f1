import Foundation
import GRDB
import PledgerCore

/// Aggregations for the monthly report. Each runs in SQL over indexed instants; nothing
/// loads the ledger into memory.
extension StoreSession {
    /// Receipts per currency code for `[start, end)`, read from the ledger's postings.
    public func receipts(from start: Date, to end: Date) throws -> [String: MonthlyReport.Receipts] {
        var result: [String: MonthlyReport.Receipts] = [:]
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.currency, t.kind, p.account, SUM(p.amount) AS total, COUNT(*) AS lines
                FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
                WHERE t.occurred_at >= ? AND t.occurred_at < ?
                GROUP BY p.currency, t.kind, p.account
                """,
            arguments: [ms(start), ms(end)])
        for row in rows {
            let currency: String = row["currency"]
            let kind: String = row["kind"]
            let account: String = row["account"]
            let total: Int64 = row["total"]
            let lines: Int64 = row["lines"]
            var receipts = result[currency] ?? MonthlyReport.Receipts()
            if account.hasPrefix("expenses:fees:") {
                receipts.fees += total
            } else if account.hasPrefix("income:donations:") {
                switch kind {
                case "payment":
                    // Income is credited (negative); each payment has exactly one income line.
                    receipts.payments += lines
                    receipts.gross -= total
                    switch account {
                    case Cadence.monthly.incomeAccount: receipts.monthly -= total
                    case Cadence.annual.incomeAccount: receipts.annual -= total
                    default: receipts.oneOff -= total
                    }
                case "refund": receipts.refunds += total
                case "chargeback": receipts.chargebacks += total
                default: break
                }
            }
            result[currency] = receipts
        }
        let supporters = try Row.fetchAll(
            db,
            sql: """
                SELECT currency, COUNT(DISTINCT supporter_id) AS n FROM payments
                WHERE occurred_at >= ? AND occurred_at < ? GROUP BY currency
                """,
            arguments: [ms(start), ms(end)])
        for row in supporters {
            result[row["currency"], default: MonthlyReport.Receipts()].payingSupporters = row["n"]
        }
        return result
    }

    /// Pledge counts per currency code for `[start, end)`.
    public func pledgeCounts(from start: Date, to end: Date) throws -> [String: MonthlyReport.Pledges] {
        var result: [String: MonthlyReport.Pledges] = [:]
        let range: StatementArguments = [ms(start), ms(end)]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT currency, cadence, COUNT(*) AS n FROM pledges WHERE created_at >= ? AND created_at < ? GROUP BY currency, cadence",
            arguments: range
        ) {
            let n: Int64 = row["n"]
            switch Cadence(rawValue: row["cadence"]) {
            case .monthly: result[row["currency"], default: .init()].createdMonthly += n
            case .annual: result[row["currency"], default: .init()].createdAnnual += n
            default: result[row["currency"], default: .init()].createdOneOff += n
            }
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT currency, COUNT(*) AS n FROM pledges
                WHERE cadence <> 'one_off' AND first_paid_at >= ? AND first_paid_at < ? GROUP BY currency
                """,
            arguments: range
        ) {
            result[row["currency"], default: .init()].activated += row["n"]
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT currency, COUNT(*) AS n FROM pledges
                WHERE cadence <> 'one_off' AND cancelled_at >= ? AND cancelled_at < ? GROUP BY currency
                """,
            arguments: range
        ) {
            result[row["currency"], default: .init()].cancelled += row["n"]
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT p.currency, SUM(e.amount > e.old_amount) AS up, SUM(e.amount < e.old_amount) AS down
                FROM pledge_events e JOIN pledges p ON p.id = e.pledge_id
                WHERE e.kind = 'amount' AND e.occurred_at >= ? AND e.occurred_at < ? GROUP BY p.currency
                """,
            arguments: range
        ) {
            result[row["currency"], default: .init()].upgraded += row["up"]
            result[row["currency"], default: .init()].downgraded += row["down"]
        }
        return result
    }

    /// Each supporter's MRR in twelfths of a minor unit just before `start` and just before `end`,
    /// per currency code, and whether they had any before `start`.
    public func supporterMRR(start: Date, end: Date) throws -> [String: [SupporterMRR]] {
        // Twelfths per supporter and currency at instant :t, counting pledges paid before :t and
        // not cancelled before :t, at the amount in force just before :t.
        func twelfths(at instant: Date) throws -> [String: [String: Int64]] {
            var result: [String: [String: Int64]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.supporter_id, p.currency,
                           SUM(CASE p.cadence WHEN 'monthly' THEN 12 ELSE 1 END * COALESCE(
                               (SELECT e.amount FROM pledge_events e
                                WHERE e.pledge_id = p.id AND e.kind IN ('created', 'amount') AND e.occurred_at < :t
                                ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1),
                               (SELECT e.amount FROM pledge_events e WHERE e.pledge_id = p.id AND e.kind = 'created')
                           )) AS twelfths
                    FROM pledges p
                    WHERE p.cadence <> 'one_off' AND p.first_paid_at < :t
                      AND (p.cancelled_at IS NULL OR p.cancelled_at >= :t)
                    GROUP BY p.supporter_id, p.currency
                    """,
                arguments: ["t": ms(instant)])
            for row in rows {
                result[row["currency"], default: [:]][row["supporter_id"]] = row["twelfths"]
            }
            return result
        }
        let atStart = try twelfths(at: start)
        let atEnd = try twelfths(at: end)
        var earlier: [String: Set<String>] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT DISTINCT currency, supporter_id FROM pledges WHERE cadence <> 'one_off' AND first_paid_at < ?",
            arguments: [ms(start)]
        ) {
            earlier[row["currency"], default: []].insert(row["supporter_id"])
        }
        var result: [String: [SupporterMRR]] = [:]
        for currency in Set(atStart.keys).union(atEnd.keys) {
            let before = atStart[currency] ?? [:]
            let after = atEnd[currency] ?? [:]
            result[currency] = Set(before.keys).union(after.keys).sorted().map { id in
                SupporterMRR(
                    supporterID: id, startTwelfths: before[id] ?? 0, endTwelfths: after[id] ?? 0,
                    hadEarlier: earlier[currency]?.contains(id) ?? false)
            }
        }
        return result
    }

    /// Reminder events in `[start, end)`.
    public func reminderCounts(from start: Date, to end: Date) throws -> MonthlyReport.Reminders {
        var result = MonthlyReport.Reminders()
        for row in try Row.fetchAll(
            db,
            sql: "SELECT kind, COUNT(*) AS n FROM reminder_events WHERE occurred_at >= ? AND occurred_at < ? GROUP BY kind",
            arguments: [ms(start), ms(end)]
        ) {
            let n: Int64 = row["n"]
            switch row["kind"] as String {
            case "scheduled": result.scheduled = n
            case "deferred": result.deferred = n
            case "sent": result.sent = n
            case "converted": result.converted = n
            default: break
            }
        }
        return result
    }
}
