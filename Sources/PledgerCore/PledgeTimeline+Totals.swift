import Foundation

/// Sums over many pledges at one instant: the Core twins of the store's aggregate queries.
extension PledgeTimeline {
    /// Each supporter's MRR in twelfths at `instant` (currency code → supporter id → twelfths),
    /// over the pledges that count then.
    /// - Throws: `PledgerError` `amount_overflow` when a sum does not fit in 64 bits.
    public static func recurringTwelfths(
        of timelines: some Sequence<PledgeTimeline>, at instant: Date
    ) throws(PledgerError) -> [String: [String: Int64]] {
        var result: [String: [String: Int64]] = [:]
        for timeline in timelines where timeline.counts(at: instant) {
            let twelfths = try timeline.mrrTwelfths(at: instant)
            result[timeline.currency, default: [:]][timeline.supporterID] = try checkedAdd(
                result[timeline.currency]?[timeline.supporterID] ?? 0, twelfths)
        }
        return result
    }

    /// The pledges past due at `instant` per currency code: how many, and their MRR in twelfths
    /// (the MRR at risk, before rounding).
    /// - Throws: `PledgerError` `amount_overflow` when a sum does not fit in 64 bits.
    public static func pastDue(
        of timelines: some Sequence<PledgeTimeline>, at instant: Date
    ) throws(PledgerError) -> [String: (pledges: Int64, twelfths: Int64)] {
        var result: [String: (pledges: Int64, twelfths: Int64)] = [:]
        for timeline in timelines where timeline.isPastDue(at: instant) {
            let sum = result[timeline.currency] ?? (0, 0)
            result[timeline.currency] = (
                sum.pledges + 1, try checkedAdd(sum.twelfths, timeline.mrrTwelfths(at: instant))
            )
        }
        return result
    }
}
