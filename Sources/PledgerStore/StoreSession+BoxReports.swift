import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// The box's funnel and sources, counted in SQL over indexed instants (docs/box.md "The funnel and
/// the sources report"): each statement reads one month's range of an index, never the whole history.
extension StoreSession {
    public func boxFunnel(
        _ month: (start: Date, end: Date), days: (first: String, after: String)
    ) throws -> [String: BoxFunnel.Counts] {
        var result: [String: BoxFunnel.Counts] = [:]
        let bounds: StatementArguments = ["lo": ms(month.start), "hi": ms(month.end)]
        // The counters: a range of the primary key (day, campaign, page_path).
        let counters = try Row.fetchCursor(
            db,
            sql: """
                SELECT campaign, SUM(shown) AS shown, SUM(continued) AS continued, SUM(remind_requested) AS remind
                FROM box_counts WHERE day >= :first AND day < :after
                GROUP BY campaign
                """,
            arguments: ["first": days.first, "after": days.after])
        while let row = try counters.next() {
            let campaign: String = row["campaign"]
            result[campaign, default: .init()].shown += row["shown"] as Int64
            result[campaign, default: .init()].continued += row["continued"] as Int64
            result[campaign, default: .init()].remindLater += row["remind"] as Int64
        }
        // Box pledges made in the month (box_attributions_time), and those paid before its end.
        let pledges = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.campaign, COUNT(*) AS pledged,
                       COALESCE(SUM(p.first_paid_at IS NOT NULL AND p.first_paid_at < :hi), 0) AS paid
                FROM box_attributions a INDEXED BY box_attributions_time CROSS JOIN pledges p
                WHERE a.kind = 'pledge' AND a.created_at >= :lo AND a.created_at < :hi AND p.id = a.subject_id
                GROUP BY a.campaign
                """,
            arguments: bounds)
        while let row = try pledges.next() {
            let campaign: String = row["campaign"]
            result[campaign, default: .init()].pledged += row["pledged"] as Int64
            result[campaign, default: .init()].paid += row["paid"] as Int64
        }
        // Requests made in the month (reminder_requests_time) and confirmed before its end; and of
        // those, the ones whose reminder was converted before its end. Unconfirmed ones are
        // deleted when they expire, so the requests themselves come from the counters above.
        let reminders = try Row.fetchCursor(
            db,
            sql: """
                SELECT q.campaign, COUNT(*) AS confirmed,
                       COALESCE(SUM(r.converted_at IS NOT NULL AND r.converted_at < :hi), 0) AS converted
                FROM reminder_requests q INDEXED BY reminder_requests_time LEFT JOIN reminders r ON r.id = q.reminder_id
                WHERE q.requested_at >= :lo AND q.requested_at < :hi AND q.confirmed_at < :hi
                GROUP BY q.campaign
                """,
            arguments: bounds)
        while let row = try reminders.next() {
            let campaign: String = row["campaign"]
            result[campaign, default: .init()].confirmed += row["confirmed"] as Int64
            result[campaign, default: .init()].converted += row["converted"] as Int64
        }
        return result
    }

    public func boxReminderSources(
        _ month: (start: Date, end: Date), days: (first: String, after: String)
    ) throws -> [SourcesReport.Reminders] {
        var pages: [String: SourcesReport.Reminders] = [:]
        let counters = try Row.fetchCursor(
            db,
            sql: """
                SELECT page_path, SUM(remind_requested) AS n FROM box_counts
                WHERE day >= :first AND day < :after AND remind_requested > 0
                GROUP BY page_path
                """,
            arguments: ["first": days.first, "after": days.after])
        while let row = try counters.next() {
            let path: String = row["page_path"]
            pages[path, default: .init(pagePath: path, remindLater: 0, confirmed: 0, converted: 0)].remindLater +=
                row["n"] as Int64
        }
        let confirmed = try Row.fetchCursor(
            db,
            sql: """
                SELECT q.page_path, COUNT(*) AS confirmed,
                       COALESCE(SUM(r.converted_at IS NOT NULL AND r.converted_at < :hi), 0) AS converted
                FROM reminder_requests q INDEXED BY reminder_requests_time LEFT JOIN reminders r ON r.id = q.reminder_id
                WHERE q.requested_at >= :lo AND q.requested_at < :hi AND q.confirmed_at < :hi
                GROUP BY q.page_path
                """,
            arguments: ["lo": ms(month.start), "hi": ms(month.end)])
        while let row = try confirmed.next() {
            let path: String = row["page_path"]
            pages[path, default: .init(pagePath: path, remindLater: 0, confirmed: 0, converted: 0)].confirmed +=
                row["confirmed"] as Int64
            pages[path, default: .init(pagePath: path, remindLater: 0, confirmed: 0, converted: 0)].converted +=
                row["converted"] as Int64
        }
        return pages.values.sorted { $0.pagePath < $1.pagePath }
    }

    public func boxSources(_ month: (start: Date, end: Date)) throws -> [SourcesReport.Tally] {
        struct Key: Hashable {
            var page: String
            var campaign: String
            var currency: String
        }
        var tallies: [Key: SourcesReport.Tally] = [:]
        func tally(_ row: Row) -> (Key, SourcesReport.Tally) {
            let key = Key(page: row["page_path"], campaign: row["campaign"], currency: row["currency"])
            return (
                key,
                tallies[key] ?? SourcesReport.Tally(pagePath: key.page, campaign: key.campaign, currency: key.currency)
            )
        }
        let bounds: StatementArguments = ["lo": ms(month.start), "hi": ms(month.end)]
        // New pledges: box pledges made in the month.
        let created = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.page_path, a.campaign, p.currency, COUNT(*) AS n
                FROM box_attributions a INDEXED BY box_attributions_time CROSS JOIN pledges p
                WHERE a.kind = 'pledge' AND a.created_at >= :lo AND a.created_at < :hi AND p.id = a.subject_id
                GROUP BY a.page_path, a.campaign, p.currency
                """,
            arguments: bounds)
        while let row = try created.next() {
            var (key, value) = tally(row)
            value.newPledges += row["n"] as Int64
            tallies[key] = value
        }
        // New MRR: recurring pledges first paid in the month (pledges_first_paid), those from the box,
        // at the amount in force at that payment, in twelfths (Core's Cadence.mrrWeight).
        let paid = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.page_path, a.campaign, p.currency,
                       SUM(\(Self.twelfthsInForce("<=", "p.first_paid_at"))) AS twelfths
                FROM pledges p CROSS JOIN box_attributions a
                WHERE p.cadence <> 'one_off' AND p.first_paid_at >= :lo AND p.first_paid_at < :hi
                  AND (p.cancelled_at IS NULL OR p.cancelled_at > p.first_paid_at)
                  AND \(Self.notPaused(justAfter: "p.first_paid_at"))
                  AND a.subject_id = p.id AND a.kind = 'pledge'
                GROUP BY a.page_path, a.campaign, p.currency
                """,
            arguments: bounds)
        while let row = try paid.next() {
            var (key, value) = tally(row)
            value.newMRRTwelfths += row["twelfths"] as Int64
            tallies[key] = value
        }
        // Receipts: payments booked in the month on box pledges.
        let receipts = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.page_path, a.campaign, y.currency, COUNT(*) AS n, SUM(y.amount) AS gross
                FROM payments y CROSS JOIN pledges p CROSS JOIN box_attributions a
                WHERE y.occurred_at >= :lo AND y.occurred_at < :hi AND p.seq = y.pledge_seq
                    AND a.subject_id = p.id AND a.kind = 'pledge'
                GROUP BY a.page_path, a.campaign, y.currency
                """,
            arguments: bounds)
        while let row = try receipts.next() {
            var (key, value) = tally(row)
            value.payments += row["n"] as Int64
            value.receipts += row["gross"] as Int64
            tallies[key] = value
        }
        return tallies.values.sorted {
            ($0.pagePath, $0.campaign, $0.currency) < ($1.pagePath, $1.campaign, $1.currency)
        }
    }
}
