import Foundation
import PledgerCore
import PledgerStoreInterface

/// Runs Core's ``MRRWalk`` over a run of months inside one read of the store: the store reads
/// where to start (the latest checkpoint, else every pledge live then), each month's changes and
/// the MRR of supporters as they first move; the walk applies them. Memory holds one month's
/// changes and the state of the supporters seen moving.
struct MRRWalkReader {
    /// Each month's MRR per currency code, and the totals found at the month edges walked that are
    /// not kept yet, to be saved as checkpoints while the snapshot's `epoch` is current.
    struct Result: Sendable {
        var months: [[String: MonthMRR]]
        var checkpoints: MRRCheckpoints
    }

    /// Walks `months` (consecutive `[start, end)` intervals, oldest first); months before
    /// `detailFrom` (a chart's earlier months) get only their totals, no one's movement.
    ///
    /// The chart's leading months whose ends are kept as checkpoints are not walked: a month that
    /// shows only its totals has exactly the totals its end's checkpoint holds, and the walk starts
    /// from the last of them.
    static func read(_ session: any ReportReader, months: [(start: Date, end: Date)], detailFrom: Int) throws -> Result
    {
        guard let first = months.first, let last = months.last else {
            return Result(months: [], checkpoints: MRRCheckpoints(epoch: 0))
        }
        let kept = Set(try session.mrrCheckpointInstants(from: first.end, through: last.end))
        var skipped: [[String: MonthMRR]] = []
        while skipped.count < min(detailFrom, months.count - 1), kept.contains(months[skipped.count].end),
            let checkpoint = try session.latestMRRCheckpoint(atOrBefore: months[skipped.count].end),
            checkpoint.at == months[skipped.count].end
        {
            skipped.append(MRRWalk.steady(checkpoint.totals))
        }
        guard skipped.isEmpty else {
            var rest = try read(
                session, months: Array(months[skipped.count...]), detailFrom: detailFrom - skipped.count)
            rest.months = skipped + rest.months
            return rest
        }
        var checkpoints = MRRCheckpoints(epoch: try session.mrrEpoch())
        let checkpoint = try session.latestMRRCheckpoint(atOrBefore: first.start)
        let start = checkpoint?.at ?? first.start
        var walk = MRRWalk(start: start, totals: try checkpoint?.totals ?? session.recurringTotals(at: first.start))
        // With a checkpoint before the first month, the changes between are walked first, as month -1.
        let walked = MRRWalk.intervals(from: start, covering: months)
        let lead = walked.count - months.count
        if lead == 0 { checkpoints.totals[Timestamp.millis(first.start)] = walk.totals }
        var result = Array(repeating: [String: MonthMRR](), count: months.count)
        for (index, interval) in walked.enumerated() {
            let month = index - lead
            let figures = try walk.walk(
                session.mrrChanges(in: interval), monthStart: interval.start, detailed: month >= detailFrom
            ) { supporters in
                try session.recurringTwelfths(at: start, supporters: supporters)
            }
            checkpoints.totals[Timestamp.millis(interval.end)] = walk.totals
            if month >= 0 { result[month] = figures }
        }
        for kept in try session.mrrCheckpointInstants(from: start, through: last.end) {
            checkpoints.totals[Timestamp.millis(kept)] = nil
        }
        return Result(months: result, checkpoints: checkpoints)
    }
}
