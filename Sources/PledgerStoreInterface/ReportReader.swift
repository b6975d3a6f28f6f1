import Foundation
import PledgerCore

/// What the reports read: each month's figures grouped in the store (sums an index serves, with
/// their Core twins tested beside them), and the inputs of Core's MRR walk. Months are
/// consecutive `[start, end)` intervals, oldest first.
public protocol ReportReader {
    /// Receipts, pledge and reminder counts, and MRR at risk per month; months before `detailFrom`
    /// (a chart's earlier months) get only their receipts. The MRR movement is left to the walk.
    func monthFigures(_ months: [(start: Date, end: Date)], detailFrom: Int) throws -> [MonthLedgerFigures]
    /// Cohort sizes by first-payment month, and how many of each were active `offsets` months on.
    func cohortRetention(
        cadences: [Cadence], months: [(start: Date, end: Date)], cohortMonths: Range<Int>, offsets: [Int]
    ) throws -> (sizes: [Int: Int64], active: [Int: [Int: Int64]])
    /// Grows whenever anything that moves MRR is written: checkpoints read under an older one are not kept.
    func mrrEpoch() throws -> Int64
    /// The checkpoint at or before `instant` nearest to it.
    func latestMRRCheckpoint(atOrBefore instant: Date) throws -> (at: Date, totals: [String: MRRTotal])?
    /// The MRR per currency just before `instant`, from every pledge live then: where a walk with no
    /// checkpoint starts.
    func recurringTotals(at instant: Date) throws -> [String: MRRTotal]
    /// Each supporter's MRR change in twelfths within `month`, per currency.
    func mrrChanges(in month: (start: Date, end: Date)) throws -> [MRRWalk.Change]
    /// The MRR in twelfths of these supporters just before `instant`, per currency and supporter.
    func recurringTwelfths(at instant: Date, supporters: Set<String>) throws -> [String: [String: Int64]]
    /// The instants of the checkpoints kept from `start` through `end`.
    func mrrCheckpointInstants(from start: Date, through end: Date) throws -> [Date]
    /// Keeps the totals found as checkpoints, unless MRR moved since they were read.
    /// - Returns: how many were added.
    func saveMRRCheckpoints(_ checkpoints: MRRCheckpoints, notAfter: Date) throws -> Int
}
