import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// Cohort sizes and retention, counted in SQL.
extension StoreSession {
    /// Supporters grouped by the month (an index into `months`) of their first payment on a pledge
    /// of `cadences`, for cohorts `cohortMonths` (a range of indices into `months`); and, for each
    /// cohort and each offset k with month cohort + k in `months`, how many of them had a live
    /// pledge of `cadences` (paid before, not cancelled before) at that month's end.
    /// - Returns: sizes by cohort index, and active counts by cohort index and offset.
    public func cohortRetention(
        cadences: [Cadence], months: [(start: Date, end: Date)], cohortMonths: Range<Int>, offsets: [Int]
    ) throws -> (sizes: [Int: Int64], active: [Int: [Int: Int64]]) {
        guard !months.isEmpty, !cohortMonths.isEmpty, !cadences.isEmpty else { return ([:], [:]) }
        let m = MonthsTable(months)
        // Cadence names and offsets are Pledger's own values, written in as literals; the month
        // bounds stay the only (positional) arguments.
        let inScope = "(" + cadences.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
        let lo = String(ms(months[cohortMonths.lowerBound].start))
        let hi = String(ms(months[cohortMonths.upperBound - 1].end))
        let members = """
            , joined(supporter_id, first_paid) AS (
                SELECT p.supporter_id, MIN(p.first_paid_at) FROM pledges p
                WHERE p.cadence IN \(inScope) AND p.first_paid_at IS NOT NULL
                  AND p.supporter_id IN (
                      SELECT supporter_id FROM pledges
                      WHERE cadence <> 'one_off' AND first_paid_at >= \(lo) AND first_paid_at < \(hi) AND cadence IN \(inScope))
                GROUP BY p.supporter_id
                HAVING MIN(p.first_paid_at) >= \(lo)
            ),
            members(supporter_id, cohort) AS (
                SELECT j.supporter_id, m.idx FROM joined j CROSS JOIN m WHERE j.first_paid >= m.lo AND j.first_paid < m.hi
            )
            """
        var sizes: [Int: Int64] = [:]
        for row in try Row.fetchAll(
            db, sql: m.sql + members + "SELECT cohort, COUNT(*) AS n FROM members GROUP BY cohort",
            arguments: m.arguments)
        {
            sizes[row["cohort"]] = row["n"]
        }
        let offsetValues = offsets.map { "(\($0))" }.joined(separator: ", ")
        var active: [Int: [Int: Int64]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: m.sql + members + """
                , offsets(k) AS (VALUES \(offsetValues))
                SELECT c.cohort, o.k, COUNT(*) AS n
                FROM members c CROSS JOIN offsets o CROSS JOIN m e
                WHERE e.idx = c.cohort + o.k
                  AND EXISTS (
                      SELECT 1 FROM pledges q
                      WHERE q.supporter_id = c.supporter_id AND q.cadence IN \(inScope)
                        AND q.first_paid_at < e.hi AND (q.cancelled_at IS NULL OR q.cancelled_at >= e.hi)
                        AND NOT EXISTS (SELECT 1 FROM pledge_pauses z WHERE z.pledge_id = q.id
                                          AND z.paused_at < e.hi AND (z.resumed_at IS NULL OR z.resumed_at >= e.hi)))
                GROUP BY c.cohort, o.k
                """,
            arguments: m.arguments
        ) {
            active[row["cohort"], default: [:]][row["k"]] = row["n"]
        }
        return (sizes, active)
    }
}
