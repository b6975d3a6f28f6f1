import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// Aggregations for the reports. Each runs in SQL over indexed instants and is grouped by month
/// in one statement for a whole run of months: nothing loads the ledger into memory, and a
/// month's figures cost what that month holds, not what the whole history holds.
extension StoreSession {
    /// The figures of each month in `months` (consecutive `[start, end)` intervals, oldest first),
    /// all but recurring revenue (``MonthLedgerFigures/mrr``), which Core's ``MRRWalk`` gives from
    /// what ``mrrChanges(in:)`` and ``recurringTwelfths(at:supporters:)`` read.
    ///
    /// Months before `detailFrom` (a chart's earlier months) get only what a trend shows: receipts;
    /// paying supporters, pledge and reminder counts and MRR at risk are left out.
    public func monthFigures(_ months: [(start: Date, end: Date)], detailFrom: Int = 0) throws -> [MonthLedgerFigures] {
        try monthFigures(months, detailFrom: detailFrom, basis: .sums)
    }

    /// ``monthFigures(_:detailFrom:)`` read from the given basis: `.rows` recomputes every figure
    /// from the payment and reversal rows, the way `verify` and the tests check what the sums give.
    public func monthFigures(
        _ months: [(start: Date, end: Date)], detailFrom: Int = 0, basis: ReportBasis
    ) throws -> [MonthLedgerFigures] {
        guard !months.isEmpty else { return [] }
        var result = Array(repeating: MonthLedgerFigures(), count: months.count)
        let m = MonthsTable(months)
        let detailed = MonthsTable(
            Array(months[min(detailFrom, months.count)...]), offset: min(detailFrom, months.count))
        if basis == .sums && m.onQuarterHours {
            try addReceiptsFromSums(m, into: &result)
        } else {
            try addReceipts(m, into: &result)
        }
        try addPayingSupporters(detailed, into: &result)
        try addPledgeCounts(detailed, into: &result)
        try addReminderCounts(detailed, into: &result)
        try addAtRisk(detailed, into: &result)
        return result
    }

    /// A `WITH m(idx, lo, hi) AS (VALUES …)` prefix naming each month's bounds in milliseconds,
    /// so one statement can group rows by month (month lengths vary with the calendar and the time zone).
    struct MonthsTable {
        let sql: String
        let arguments: StatementArguments
        /// Each month's first instant in milliseconds.
        let starts: [Int64]
        /// Whether every month starts and ends on a quarter-hour, so it is a whole range of the
        /// buckets the receipt sums are kept in.
        let onQuarterHours: Bool
        /// One table per month, with the same `idx`: for statements that sort what they read, so a
        /// sort holds one month's rows (SQLite's temporary b-trees are in memory for readers).
        let each: [MonthsTable]
        /// Each month's bounds in milliseconds, and the `idx` of the first.
        let bounds: [(lo: Int64, hi: Int64)]
        let offset: Int

        /// `offset` is added to each month's `idx`, for a table of the later months of a run.
        init(_ months: [(start: Date, end: Date)], offset: Int = 0) {
            // An empty run still makes valid SQL: one month that holds no instant.
            let rows =
                months.isEmpty ? [(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 0))] : months
            sql =
                "WITH m(idx, lo, hi) AS (VALUES " + rows.indices.map { _ in "(?, ?, ?)" }.joined(separator: ", ") + ") "
            var arguments = StatementArguments()
            for (index, month) in rows.enumerated() {
                arguments += [offset + index, ms(month.start), ms(month.end)]
            }
            self.arguments = arguments
            bounds = rows.map { (ms($0.start), ms($0.end)) }
            self.offset = offset
            starts = months.map { ms($0.start) }
            onQuarterHours = rows.allSatisfy {
                ms($0.start) % receiptBucketMillis == 0 && ms($0.end) % receiptBucketMillis == 0
            }
            each = months.count < 2 ? [] : months.enumerated().map { MonthsTable([$1], offset: offset + $0) }
        }

        /// This table's months one at a time (itself when it holds one).
        var separately: [MonthsTable] { each.isEmpty ? [self] : each }

        /// The months as ranges of kept sums, `WITH r(idx, a1, a2, d1, d2, b1, b2)`: quarter-hour
        /// buckets `[a1, a2)` before the month's first whole UTC day, days `[d1, d2)`, and
        /// quarter-hours `[b1, b2)` after its last whole day (the day range is empty when it has
        /// none). Meaningful only when ``onQuarterHours``.
        var sumRanges: (sql: String, arguments: StatementArguments) {
            let quartersPerDay: Int64 = 96
            var arguments = StatementArguments()
            for (index, month) in bounds.enumerated() {
                let first = floorDivide(month.lo, receiptBucketMillis)
                let end = floorDivide(month.hi, receiptBucketMillis)
                let firstDay = -floorDivide(-month.lo, receiptBucketMillis * quartersPerDay)
                let endDay = max(firstDay, floorDivide(month.hi, receiptBucketMillis * quartersPerDay))
                arguments += [
                    offset + index, first, min(firstDay * quartersPerDay, end), firstDay, endDay,
                    max(first, endDay * quartersPerDay), end,
                ]
            }
            let values = bounds.indices.map { _ in "(?, ?, ?, ?, ?, ?, ?)" }.joined(separator: ", ")
            return ("WITH r(idx, a1, a2, d1, d2, b1, b2) AS (VALUES \(values)) ", arguments)
        }
    }

    /// The receipts from the sums the triggers of `payments` and `reversals` keep (migrations 0022
    /// and 0025): each month is its whole UTC days plus the quarter-hours of the partial days at
    /// its edges, whatever the number of payments in it. Only for months that start and end on a
    /// quarter-hour (``MonthsTable/onQuarterHours``).
    private func addReceiptsFromSums(_ m: MonthsTable, into result: inout [MonthLedgerFigures]) throws {
        let ranges = m.sumRanges
        let payments = try Row.fetchCursor(
            db,
            sql: ranges.sql
                + Self.sumsOverRanges(
                    quarters: "payment_sums", days: "payment_day_sums",
                    columns: "currency, cadence, payments AS n, gross, fees",
                    totals: "SUM(n) AS n, SUM(gross) AS gross, SUM(fees) AS fees", group: "currency, cadence"),
            arguments: ranges.arguments)
        while let row = try payments.next() {
            add(payments: row, into: &result)
        }
        let reversals = try Row.fetchCursor(
            db,
            sql: ranges.sql
                + Self.sumsOverRanges(
                    quarters: "reversal_sums", days: "reversal_day_sums",
                    columns: "currency, kind, amount AS total, fees",
                    totals: "SUM(total) AS total, SUM(fees) AS fees", group: "currency, kind"),
            arguments: ranges.arguments)
        while let row = try reversals.next() {
            add(reversals: row, into: &result)
        }
    }

    /// One statement summing, per month of the `r` table (``MonthsTable/sumRanges``), the
    /// quarter-hour sums before its first whole UTC day, the day sums, and the quarter-hour sums
    /// after its last whole day: `columns` are read from each table, `totals` sum them, by `group`.
    private static func sumsOverRanges(
        quarters: String, days: String, columns: String, totals: String, group: String
    ) -> String {
        """
        SELECT idx, \(group), \(totals) FROM (
            SELECT r.idx, \(columns) FROM r CROSS JOIN \(quarters) s WHERE s.bucket >= r.a1 AND s.bucket < r.a2
            UNION ALL
            SELECT r.idx, \(columns) FROM r CROSS JOIN \(days) s WHERE s.day >= r.d1 AND s.day < r.d2
            UNION ALL
            SELECT r.idx, \(columns) FROM r CROSS JOIN \(quarters) s WHERE s.bucket >= r.b1 AND s.bucket < r.b2
        )
        GROUP BY idx, \(group)
        """
    }

    /// Adds one row of payment sums (`idx`, `currency`, `cadence`, `n`, `gross`, `fees`) to its month.
    private func add(payments row: Row, into result: inout [MonthLedgerFigures]) {
        let index: Int = row["idx"]
        let gross: Int64 = row["gross"]
        var receipts = result[index].receipts[row["currency"]] ?? MonthlyReport.Receipts()
        receipts.payments += row["n"] as Int64
        receipts.gross += gross
        receipts.fees += row["fees"] as Int64
        switch Cadence(rawValue: row["cadence"]) {
        case .monthly: receipts.monthly += gross
        case .annual: receipts.annual += gross
        default: receipts.oneOff += gross
        }
        result[index].receipts[row["currency"]] = receipts
    }

    /// Adds one row of reversal sums (`idx`, `currency`, `kind`, `total`, `fees`) to its month.
    private func add(reversals row: Row, into result: inout [MonthLedgerFigures]) {
        let index: Int = row["idx"]
        var receipts = result[index].receipts[row["currency"]] ?? MonthlyReport.Receipts()
        switch row["kind"] as String {
        case "chargeback": receipts.chargebacks += row["total"] as Int64
        default: receipts.refunds += row["total"] as Int64
        }
        receipts.fees += row["fees"] as Int64
        result[index].receipts[row["currency"]] = receipts
    }

    /// The receipts summed from the payment and reversal rows: for months that do not start and
    /// end on a quarter-hour, and the recomputation the sums are checked against.
    private func addReceipts(_ m: MonthsTable, into result: inout [MonthLedgerFigures]) throws {
        // Payments and reversals carry the amount, fee and cadence of their ledger transaction
        // (verify checks they agree with the chained postings), read in time order through their
        // month indexes: each month is one range scan, not a join over four postings per payment. One statement a month, so SQLite's sort for the grouping holds one month.
        for month in m.separately {
            let payments = try Row.fetchCursor(
                db,
                sql: month.sql + """
                    SELECT m.idx, y.currency, y.cadence, COUNT(*) AS n, SUM(y.amount) AS gross, SUM(y.fee) AS fees
                    FROM m CROSS JOIN payments y INDEXED BY payments_month
                    WHERE y.occurred_at >= m.lo AND y.occurred_at < m.hi
                    GROUP BY m.idx, y.currency, y.cadence
                    """,
                arguments: month.arguments)
            while let row = try payments.next() {
                add(payments: row, into: &result)
            }
        }
        let reversals = try Row.fetchCursor(
            db,
            sql: m.sql + """
                SELECT m.idx, r.currency, r.kind, SUM(r.amount) AS total, SUM(r.fee) AS fees
                FROM m CROSS JOIN reversals r INDEXED BY reversals_receipts
                WHERE r.occurred_at >= m.lo AND r.occurred_at < m.hi
                GROUP BY m.idx, r.currency, r.kind
                """,
            arguments: m.arguments)
        while let row = try reversals.next() {
            add(reversals: row, into: &result)
        }
    }

    private func addPayingSupporters(_ m: MonthsTable, into result: inout [MonthLedgerFigures]) throws {
        for month in m.separately {
            let supporters = try Row.fetchCursor(
                db,
                sql: month.sql + """
                    SELECT m.idx, y.currency, COUNT(DISTINCT y.supporter_seq) AS n
                    FROM m CROSS JOIN payments y INDEXED BY payments_month
                    WHERE y.occurred_at >= m.lo AND y.occurred_at < m.hi
                    GROUP BY m.idx, y.currency
                    """,
                arguments: month.arguments)
            while let row = try supporters.next() {
                result[row["idx"] as Int].receipts[row["currency"], default: MonthlyReport.Receipts()]
                    .payingSupporters = row["n"]
            }
        }
    }

    private func addPledgeCounts(_ m: MonthsTable, into result: inout [MonthLedgerFigures]) throws {
        let created = try Row.fetchCursor(
            db,
            sql: m.sql + """
                SELECT m.idx, p.currency, p.cadence, COUNT(*) AS n
                FROM m CROSS JOIN pledges p
                WHERE p.created_at >= m.lo AND p.created_at < m.hi
                GROUP BY m.idx, p.currency, p.cadence
                """,
            arguments: m.arguments)
        while let row = try created.next() {
            let n: Int64 = row["n"]
            let index: Int = row["idx"]
            switch Cadence(rawValue: row["cadence"]) {
            case .monthly: result[index].pledges[row["currency"], default: .init()].createdMonthly += n
            case .annual: result[index].pledges[row["currency"], default: .init()].createdAnnual += n
            default: result[index].pledges[row["currency"], default: .init()].createdOneOff += n
            }
        }
        for (column, keyPath) in [
            ("first_paid_at", \MonthlyReport.Pledges.activated), ("cancelled_at", \MonthlyReport.Pledges.cancelled),
        ] {
            let rows = try Row.fetchCursor(
                db,
                sql: m.sql + """
                    SELECT m.idx, p.currency, COUNT(*) AS n
                    FROM m CROSS JOIN pledges p
                    WHERE p.cadence <> 'one_off' AND p.\(column) >= m.lo AND p.\(column) < m.hi
                    GROUP BY m.idx, p.currency
                    """,
                arguments: m.arguments)
            while let row = try rows.next() {
                result[row["idx"] as Int].pledges[row["currency"], default: .init()][keyPath: keyPath] += row["n"]
            }
        }
        let changes = try Row.fetchCursor(
            db,
            sql: m.sql + """
                SELECT m.idx, p.currency, SUM(\(Self.eventTwelfths("e")) > \(Self.eventTwelfths("e", old: true))) AS up,
                       SUM(\(Self.eventTwelfths("e")) < \(Self.eventTwelfths("e", old: true))) AS down
                FROM m CROSS JOIN pledge_events e INDEXED BY pledge_events_amount_changes JOIN pledges p ON p.id = e.pledge_id
                WHERE e.occurred_at >= m.lo AND e.occurred_at < m.hi AND e.kind = 'amount'
                GROUP BY m.idx, p.currency
                """,
            arguments: m.arguments)
        while let row = try changes.next() {
            let index: Int = row["idx"]
            result[index].pledges[row["currency"], default: .init()].upgraded += row["up"]
            result[index].pledges[row["currency"], default: .init()].downgraded += row["down"]
        }
    }

    private func addReminderCounts(_ m: MonthsTable, into result: inout [MonthLedgerFigures]) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: m.sql + """
                SELECT m.idx, r.kind, COUNT(*) AS n
                FROM m CROSS JOIN reminder_events r INDEXED BY reminder_events_month
                WHERE r.occurred_at >= m.lo AND r.occurred_at < m.hi
                GROUP BY m.idx, r.kind
                """,
            arguments: m.arguments)
        while let row = try rows.next() {
            let index: Int = row["idx"]
            let n: Int64 = row["n"]
            switch row["kind"] as String {
            case "scheduled": result[index].reminders.scheduled = n
            case "deferred": result[index].reminders.deferred = n
            case "sent": result[index].reminders.sent = n
            case "converted": result[index].reminders.converted = n
            default: break
            }
        }
    }

    /// The MRR in twelfths of pledge `p` in force at an instant: the amount of its latest `created`
    /// or `amount` event before (`<`) or at (`<=`) the instant, else of its creation, weighed by
    /// that event's cadence (the pledge's when the event has none): ``PledgeTimeline/twelfths(of:)``.
    static func twelfthsInForce(_ comparison: String, _ instant: String) -> String {
        """
        COALESCE(
            (SELECT \(eventTwelfths("e")) FROM pledge_events e
             WHERE e.pledge_id = p.id AND e.kind IN ('created', 'amount') AND e.occurred_at \(comparison) \(instant)
             ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1),
            (SELECT \(eventTwelfths("e")) FROM pledge_events e WHERE e.pledge_id = p.id AND e.kind = 'created'))
        """
    }

    /// The twelfths of `created`/`amount` event `e` of pledge `p`: its amount weighed by its cadence,
    /// or by the pledge's when it has none; with `old`, those of the amount and cadence it replaced.
    static func eventTwelfths(_ e: String, old: Bool = false) -> String {
        let prefix = old ? "old_" : ""
        return "\(weight(of: "COALESCE(\(e).\(prefix)cadence, p.cadence)")) * \(e).\(prefix)amount"
    }

    /// Pledge `p` is not paused at `instant`: no pause began before it and ended at or after it
    /// (``PledgeTimeline/isPaused(at:)``).
    static func notPaused(at instant: String) -> String {
        """
        NOT EXISTS (SELECT 1 FROM pledge_pauses z INDEXED BY pledge_pauses_pledge
                    WHERE z.pledge_id = p.id AND z.paused_at < \(instant)
                      AND (z.resumed_at IS NULL OR z.resumed_at >= \(instant)))
        """
    }

    /// Pledge `p` is not paused just after `instant`: no pause began at or before it and ends after it.
    static func notPaused(justAfter instant: String) -> String {
        """
        NOT EXISTS (SELECT 1 FROM pledge_pauses z INDEXED BY pledge_pauses_pledge
                    WHERE z.pledge_id = p.id AND z.paused_at <= \(instant)
                      AND (z.resumed_at IS NULL OR z.resumed_at > \(instant)))
        """
    }

    /// A cadence's weight in twelfths, Core's ``Cadence/mrrWeight`` written as SQL so it runs
    /// inside the sums: a monthly amount counts 12 twelfths, an annual one 1.
    static func weight(of cadence: String) -> String {
        "(CASE \(cadence) "
            + Cadence.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.mrrWeight)" }.joined(separator: " ") + " END)"
    }

    /// Each supporter's MRR in twelfths of a minor unit at `instant`, per currency code and supporter id:
    /// recurring pledges paid before the instant, not cancelled before it and not paused then, at
    /// the amount in force just before it.
    public func recurringTwelfths(at instant: Date) throws -> [String: [String: Int64]] {
        var result: [String: [String: Int64]] = [:]
        // Two branches, each an index range: never cancelled, and cancelled at or after the instant.
        // So the cost is the pledges live then, not every pledge that ever ended before.
        let live = Self.twelfthsInForce("<", ":t")
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT supporter_id, currency, SUM(twelfths) AS twelfths FROM (
                    SELECT p.supporter_id, p.currency, \(live) AS twelfths FROM pledges p
                    WHERE p.cadence <> 'one_off' AND p.cancelled_at IS NULL AND p.first_paid_at < :t
                      AND \(Self.notPaused(at: ":t"))
                    UNION ALL
                    SELECT p.supporter_id, p.currency, \(live) AS twelfths FROM pledges p
                    WHERE p.cadence <> 'one_off' AND p.cancelled_at >= :t AND p.first_paid_at < :t
                      AND \(Self.notPaused(at: ":t"))
                )
                GROUP BY supporter_id, currency
                """,
            arguments: ["t": ms(instant)])
        while let row = try rows.next() {
            result[row["currency"], default: [:]][row["supporter_id"]] = row["twelfths"]
        }
        return result
    }

    /// Each supporter's MRR in twelfths of a minor unit just before `start` and just before `end`,
    /// per currency code, and whether they had any before `start`. Reads the two instants directly;
    /// ``monthFigures(_:)`` gets the same figures from the changes between them. What paused and
    /// resumed in between cannot be read at the edges: that part comes from the month's changes.
    public func supporterMRR(start: Date, end: Date) throws -> [String: [SupporterMRR]] {
        let atStart = try recurringTwelfths(at: start)
        let atEnd = try recurringTwelfths(at: end)
        var earlier: [String: Set<String>] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT DISTINCT currency, supporter_id FROM pledges WHERE cadence <> 'one_off' AND first_paid_at < ?",
            arguments: [ms(start)]
        ) {
            earlier[row["currency"], default: []].insert(row["supporter_id"])
        }
        var pauses: [String: [String: MRRWalk.Change]] = [:]
        for change in try mrrChanges(in: (start, end))
        where change.pausedTwelfths != 0 || change.resumedTwelfths != 0 {
            pauses[change.currency, default: [:]][change.supporterID] = change
        }
        var result: [String: [SupporterMRR]] = [:]
        for currency in Set(atStart.keys).union(atEnd.keys).union(pauses.keys) {
            let before = atStart[currency] ?? [:]
            let after = atEnd[currency] ?? [:]
            let paused = pauses[currency] ?? [:]
            result[currency] = Set(before.keys).union(after.keys).union(paused.keys).sorted().map { id in
                SupporterMRR(
                    supporterID: id, startTwelfths: before[id] ?? 0, endTwelfths: after[id] ?? 0,
                    hadEarlier: earlier[currency]?.contains(id) ?? false,
                    pausedTwelfths: paused[id]?.pausedTwelfths ?? 0, resumedTwelfths: paused[id]?.resumedTwelfths ?? 0)
            }
        }
        return result
    }

    /// The value of `mrr_epoch`, which every write that moves MRR raises: checkpoints found in a
    /// snapshot are kept only while it has not moved (``saveMRRCheckpoints(_:notAfter:)``).
    public func mrrEpoch() throws -> Int64 {
        try fetchOne(Int64.self, sql: "SELECT n FROM mrr_epoch") ?? 0
    }

    /// Each supporter's change of MRR in twelfths over `month`, one per supporter and currency that
    /// moved, with their first recurring payment in that currency (whether they are new or back)
    /// and how much of the change was pauses and resumptions, ordered by currency and supporter:
    /// what Core's ``MRRWalk`` walks.
    ///
    /// A pledge counts at instant t when `first_paid_at < t <= cancelled_at` (or it is not
    /// cancelled) and it is not paused then, at the amount of its latest event before t. So its
    /// MRR changes just after its first payment (+ the amount then), just after each later amount
    /// change while it counts (+ the difference), just after its cancellation (− the amount then),
    /// and just after each pause (−) and resumption (+). One branch per kind of change, with the
    /// conditions of ``PledgeTimeline/mrrChanges()``; the changes are summed per pledge, its pauses
    /// held to what it had at the month's start plus what resumed (``PledgeTimeline/change(in:)``),
    /// then per supporter. ``MRRWalk/changes(of:in:)`` is the same rule over pledges in memory.
    public func mrrChanges(in month: (start: Date, end: Date)) throws -> [MRRWalk.Change] {
        let m = MonthsTable([month])
        // The bounds are integers this code computed, written into the SQL as literals so the
        // statement keeps to positional arguments (those of the months table).
        let (lo, hi) = (String(ms(month.start)), String(ms(month.end)))
        let changes = try Row.fetchCursor(
            db,
            sql: m.sql + """
                , changes(pledge_id, supporter_id, currency, at, delta, kind) AS (
                    SELECT p.id, p.supporter_id, p.currency, p.first_paid_at, \(Self.twelfthsInForce("<=", "p.first_paid_at")), 'other'
                    FROM pledges p
                    WHERE p.cadence <> 'one_off' AND p.first_paid_at >= \(lo) AND p.first_paid_at < \(hi)
                      AND (p.cancelled_at IS NULL OR p.cancelled_at > p.first_paid_at)
                      AND \(Self.notPaused(justAfter: "p.first_paid_at"))
                    UNION ALL
                    SELECT p.id, p.supporter_id, p.currency, a.occurred_at, \(Self.eventTwelfths("a")) - COALESCE(
                        (SELECT \(Self.eventTwelfths("e")) FROM pledge_events e
                         WHERE e.pledge_id = a.pledge_id AND e.kind IN ('created', 'amount')
                           AND (e.occurred_at < a.occurred_at OR (e.occurred_at = a.occurred_at AND e.seq < a.seq))
                         ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1),
                        (SELECT \(Self.eventTwelfths("e")) FROM pledge_events e WHERE e.pledge_id = a.pledge_id AND e.kind = 'created')), 'other'
                    FROM pledge_events a INDEXED BY pledge_events_amount_changes JOIN pledges p ON p.id = a.pledge_id
                    WHERE a.kind = 'amount' AND a.occurred_at >= \(lo) AND a.occurred_at < \(hi)
                      AND p.cadence <> 'one_off' AND p.first_paid_at < a.occurred_at
                      AND (p.cancelled_at IS NULL OR p.cancelled_at > a.occurred_at)
                      AND NOT EXISTS (SELECT 1 FROM pledge_pauses z INDEXED BY pledge_pauses_pledge
                                      WHERE z.pledge_id = p.id AND z.paused_at <= a.occurred_at
                                        AND (z.resumed_at IS NULL OR z.resumed_at > z.paused_at)
                                        AND (z.resumed_at IS NULL OR z.resumed_at >= a.occurred_at))
                    UNION ALL
                    SELECT p.id, p.supporter_id, p.currency, p.cancelled_at, -\(Self.twelfthsInForce("<", "p.cancelled_at")), 'other'
                    FROM pledges p
                    WHERE p.cadence <> 'one_off' AND p.cancelled_at >= \(lo) AND p.cancelled_at < \(hi)
                      AND p.first_paid_at < p.cancelled_at AND \(Self.notPaused(at: "p.cancelled_at"))
                    UNION ALL
                    SELECT p.id, p.supporter_id, p.currency, y.paused_at, -\(Self.twelfthsInForce("<", "y.paused_at")), 'paused'
                    FROM pledge_pauses y INDEXED BY pledge_pauses_started JOIN pledges p ON p.id = y.pledge_id
                    WHERE y.paused_at >= \(lo) AND y.paused_at < \(hi)
                      AND (y.resumed_at IS NULL OR y.resumed_at > y.paused_at)
                      AND p.cadence <> 'one_off' AND p.first_paid_at < y.paused_at
                      AND (p.cancelled_at IS NULL OR p.cancelled_at > y.paused_at) AND \(Self.notPaused(at: "y.paused_at"))
                    UNION ALL
                    SELECT p.id, p.supporter_id, p.currency, y.resumed_at, \(Self.twelfthsInForce("<=", "y.resumed_at")), 'resumed'
                    FROM pledge_pauses y INDEXED BY pledge_pauses_ended JOIN pledges p ON p.id = y.pledge_id
                    WHERE y.resumed_at >= \(lo) AND y.resumed_at < \(hi)
                      AND (y.resumed_at IS NULL OR y.resumed_at > y.paused_at)
                      AND p.cadence <> 'one_off' AND p.first_paid_at < y.resumed_at
                      AND (p.cancelled_at IS NULL OR p.cancelled_at > y.resumed_at) AND \(Self.notPaused(justAfter: "y.resumed_at"))
                ),
                per_pledge(pledge_id, supporter_id, currency, delta, paused, resumed) AS (
                    SELECT pledge_id, supporter_id, currency, SUM(delta),
                           SUM(CASE kind WHEN 'paused' THEN -delta ELSE 0 END),
                           SUM(CASE kind WHEN 'resumed' THEN delta ELSE 0 END)
                    FROM changes GROUP BY pledge_id
                )
                SELECT c.currency, c.supporter_id, SUM(c.delta) AS delta,
                       SUM(CASE WHEN c.paused = 0 THEN 0 ELSE MIN(c.paused, c.resumed + (
                           SELECT CASE WHEN p.first_paid_at < \(lo) AND (p.cancelled_at IS NULL OR p.cancelled_at >= \(lo))
                                            AND \(Self.notPaused(at: lo))
                                       THEN \(Self.twelfthsInForce("<", lo)) ELSE 0 END
                           FROM pledges p WHERE p.id = c.pledge_id)) END) AS paused,
                       SUM(c.resumed) AS resumed,
                       (SELECT MIN(q.first_paid_at) FROM pledges q
                        WHERE q.supporter_id = c.supporter_id AND q.currency = c.currency AND q.cadence <> 'one_off') AS first_paid
                FROM per_pledge c
                GROUP BY c.currency, c.supporter_id
                ORDER BY c.currency, c.supporter_id
                """,
            arguments: m.arguments)
        var rows: [MRRWalk.Change] = []
        while let row = try changes.next() {
            rows.append(
                MRRWalk.Change(
                    supporterID: row["supporter_id"], currency: row["currency"], twelfths: row["delta"],
                    firstPaidAt: (row["first_paid"] as Int64?).map(date), pausedTwelfths: row["paused"],
                    resumedTwelfths: row["resumed"]))
        }
        return rows
    }

    /// Recurring revenue per currency just before `instant`, read from every pledge live then:
    /// the slow way, for when no checkpoint comes before the months asked for (and for `verify`).
    public func recurringTotals(at instant: Date) throws -> [String: MRRTotal] {
        var result: [String: MRRTotal] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT currency, SUM(twelfths) AS twelfths, COUNT(*) AS supporters FROM (
                    SELECT supporter_id, currency, SUM(twelfths) AS twelfths FROM (\(Self.liveTwelfths(from: "pledges p", where: "1")))
                    GROUP BY supporter_id, currency
                ) WHERE twelfths <> 0 GROUP BY currency
                """,
            arguments: ["t": ms(instant)])
        while let row = try rows.next() {
            result[row["currency"]] = MRRTotal(twelfths: row["twelfths"], supporters: row["supporters"])
        }
        return result
    }

    /// The MRR in twelfths of the given supporters just before `instant`, per currency and supporter:
    /// the state Core's ``MRRWalk`` asks for as each supporter first moves.
    public func recurringTwelfths(at instant: Date, supporters: Set<String>) throws -> [String: [String: Int64]] {
        guard !supporters.isEmpty else { return [:] }
        var result: [String: [String: Int64]] = [:]
        let ids = String(decoding: try JSONEncoder().encode(supporters.sorted()), as: UTF8.self)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT supporter_id, currency, SUM(twelfths) AS twelfths
                FROM (\(Self.liveTwelfths(from: "json_each(:ids) j CROSS JOIN pledges p", where: "p.supporter_id = j.value")))
                GROUP BY supporter_id, currency
                """,
            arguments: ["t": ms(instant), "ids": ids])
        while let row = try rows.next() {
            result[row["currency"], default: [:]][row["supporter_id"]] = row["twelfths"]
        }
        return result
    }

    /// Each live recurring pledge's supporter, currency and MRR in twelfths at `:t`, from `source`
    /// (which names the pledges `p`), in two branches that are each an index range: never
    /// cancelled, and cancelled at or after the instant. So the cost is the pledges live then,
    /// not every pledge that ever ended before.
    private static func liveTwelfths(from source: String, where condition: String) -> String {
        let live = twelfthsInForce("<", ":t")
        return """
            SELECT p.supporter_id, p.currency, \(live) AS twelfths FROM \(source)
            WHERE \(condition) AND p.cadence <> 'one_off' AND p.cancelled_at IS NULL AND p.first_paid_at < :t
              AND \(notPaused(at: ":t"))
            UNION ALL
            SELECT p.supporter_id, p.currency, \(live) AS twelfths FROM \(source)
            WHERE \(condition) AND p.cadence <> 'one_off' AND p.cancelled_at >= :t AND p.first_paid_at < :t
              AND \(notPaused(at: ":t"))
            """
    }

    /// The checkpoint at or before `instant` nearest to it, if any: where an MRR walk can start.
    public func latestMRRCheckpoint(atOrBefore instant: Date) throws -> (at: Date, totals: [String: MRRTotal])? {
        guard
            let at = try fetchOne(
                Int64.self, sql: "SELECT MAX(at) FROM mrr_checkpoints WHERE at <= ?", arguments: [ms(instant)])
        else {
            return nil
        }
        var totals: [String: MRRTotal] = [:]
        for row in try fetchRows(
            sql: "SELECT currency, twelfths, supporters FROM mrr_checkpoint_totals WHERE at = ?", arguments: [at])
        {
            totals[row["currency"]] = MRRTotal(twelfths: row["twelfths"], supporters: row["supporters"])
        }
        return (date(at), totals)
    }

    /// Keeps the totals a report found as checkpoints, those at or before `notAfter`, unless
    /// anything that moves MRR was written since the report read them. Returns how many were added.
    public func saveMRRCheckpoints(_ checkpoints: MRRCheckpoints, notAfter: Date) throws -> Int {
        guard try mrrEpoch() == checkpoints.epoch else { return 0 }
        var added = 0
        for (at, totals) in checkpoints.totals.sorted(by: { $0.key < $1.key }) where at <= ms(notAfter) {
            try exec(sql: "INSERT OR IGNORE INTO mrr_checkpoints (at) VALUES (?)", arguments: [at])
            guard db.changesCount == 1 else { continue }
            added += 1
            // Totals left behind by a checkpoint deleted without foreign keys (the sqlite3 shell).
            try exec(sql: "DELETE FROM mrr_checkpoint_totals WHERE at = ?", arguments: [at])
            for (currency, total) in totals {
                try exec(
                    sql: "INSERT INTO mrr_checkpoint_totals (at, currency, twelfths, supporters) VALUES (?, ?, ?, ?)",
                    arguments: [at, currency, total.twelfths, total.supporters])
            }
        }
        return added
    }

    /// The instants of the MRR checkpoints kept, earliest first.
    public func mrrCheckpointInstants() throws -> [Date] {
        try fetchAll(Int64.self, sql: "SELECT at FROM mrr_checkpoints ORDER BY at").map(date)
    }

    /// The instants of the MRR checkpoints kept from `start` through `end`, both included, earliest first.
    public func mrrCheckpointInstants(from start: Date, through end: Date) throws -> [Date] {
        try fetchAll(
            Int64.self, sql: "SELECT at FROM mrr_checkpoints WHERE at >= ? AND at <= ? ORDER BY at",
            arguments: [ms(start), ms(end)]
        ).map(date)
    }

    /// Each checkpoint whose totals no longer match the pledges, described; empty when all hold.
    public func staleMRRCheckpoints() throws -> [String] {
        var problems: [String] = []
        for at in try fetchAll(Int64.self, sql: "SELECT at FROM mrr_checkpoints ORDER BY at") {
            let stored = try latestMRRCheckpoint(atOrBefore: date(at))?.totals ?? [:]
            let actual = try recurringTotals(at: date(at))
            if stored != actual {
                problems.append(
                    "MRR checkpoint at \(Timestamp.format(date(at))) says \(Self.describe(stored)) but the pledges give \(Self.describe(actual))"
                )
            }
        }
        return problems
    }

    private static func describe(_ totals: [String: MRRTotal]) -> String {
        totals.isEmpty
            ? "none"
            : totals.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value.twelfths)/12 from \($0.value.supporters) supporters" }.joined(
                    separator: ", ")
    }

    /// Recurring pledges past due at each month's end (their latest status move before it was to
    /// `past_due`) and their MRR in twelfths, per currency: ``PledgeTimeline/isPastDue(at:)`` in SQL.
    ///
    /// Only two kinds of pledge can be past due at a month's end: those past due now, and those
    /// that left past due at or after that end (a pledge past due then and not now left after it;
    /// a move at the very instant of the end is not yet in force at it). So the cost follows the
    /// pledges in dunning and their way out since each month ended, not every past-due event ever.
    private func addAtRisk(_ m: MonthsTable, into result: inout [MonthLedgerFigures]) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: m.sql + """
                , candidates(idx, pledge_id) AS (
                    SELECT m.idx, id FROM m CROSS JOIN pledges INDEXED BY pledges_past_due WHERE status = 'past_due'
                    UNION
                    SELECT m.idx, pledge_id FROM m CROSS JOIN pledge_events INDEXED BY pledge_events_left_past_due
                    WHERE kind = 'status' AND from_status = 'past_due' AND occurred_at >= m.hi
                )
                SELECT m.idx, p.currency, COUNT(*) AS n, SUM(\(Self.twelfthsInForce("<", "m.hi"))) AS twelfths
                FROM candidates d CROSS JOIN m CROSS JOIN pledges p
                WHERE m.idx = d.idx AND p.id = d.pledge_id AND p.cadence <> 'one_off'
                  AND p.first_paid_at < m.hi AND (p.cancelled_at IS NULL OR p.cancelled_at >= m.hi)
                  AND \(Self.notPaused(at: "m.hi"))
                  AND (SELECT s.to_status FROM pledge_events s
                       WHERE s.pledge_id = p.id AND s.kind = 'status' AND s.occurred_at < m.hi
                       ORDER BY s.occurred_at DESC, s.seq DESC LIMIT 1) = 'past_due'
                GROUP BY m.idx, p.currency
                """,
            arguments: m.arguments)
        while let row = try rows.next() {
            result[row["idx"] as Int].atRisk[row["currency"]] = (row["n"], row["twelfths"])
        }
    }
}
