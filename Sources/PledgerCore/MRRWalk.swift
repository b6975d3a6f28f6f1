import Foundation

/// MRR over a run of months, walked from known totals by each supporter's changes, month by month.
///
/// A walk starts at an instant whose totals per currency are known (a checkpoint's, or those read
/// from every pledge live then). Each month it is given the supporters whose MRR changed in that
/// month, one ``Change`` per supporter and currency, and adds them to the totals. For a supporter
/// it first sees moving it asks for their MRR at the walk's start, once: nobody who has not moved
/// since the start can have changed. So it holds one month's changes and the state of the
/// supporters seen moving, never every live pledge.
///
/// Each month's figures (``MonthMRR``) list the supporters who moved, classified by
/// ``SupporterMRR/movement`` (new, reactivated, expansion, contraction, churned, with pauses and
/// resumptions apart), and everyone
/// else as one steady sum, which is what ``MRRMovement/classify(_:)`` needs.
public struct MRRWalk: Sendable {
    /// One supporter's change of MRR in one currency over one month.
    public struct Change: Sendable, Equatable {
        public var supporterID: String
        /// ISO 4217 code.
        public var currency: String
        /// The change in twelfths of a minor unit; zero when the supporter moved and came back.
        public var twelfths: Int64
        /// The supporter's first recurring payment in the currency, whether or not it still counts:
        /// one before the month makes a supporter who comes back reactivated rather than new.
        public var firstPaidAt: Date?
        /// How much of the change was pauses (a magnitude: `twelfths` holds it as a fall).
        public var pausedTwelfths: Int64
        /// How much of the change was pledges resuming (`twelfths` holds it as a rise).
        public var resumedTwelfths: Int64

        public init(
            supporterID: String, currency: String, twelfths: Int64, firstPaidAt: Date?, pausedTwelfths: Int64 = 0,
            resumedTwelfths: Int64 = 0
        ) {
            self.supporterID = supporterID
            self.currency = currency
            self.twelfths = twelfths
            self.firstPaidAt = firstPaidAt
            self.pausedTwelfths = pausedTwelfths
            self.resumedTwelfths = resumedTwelfths
        }
    }

    /// The instant the walk started from.
    public let start: Date
    /// Totals per currency, kept even when they fall to zero so a month can still report the churn.
    private var running: [String: MRRTotal]
    /// MRR at the latest month end walked, in twelfths, of each supporter seen moving (currency →
    /// supporter → twelfths).
    private var state: [String: [String: Int64]] = [:]
    /// The supporters whose MRR at the start has been asked for.
    private var known: Set<String> = []

    /// A walk from `totals` at `start`.
    public init(start: Date, totals: [String: MRRTotal]) {
        self.start = start
        self.running = totals
    }

    /// The totals per currency at the end of the latest month walked (at the start before any),
    /// without the currencies in which no one has MRR.
    public var totals: [String: MRRTotal] {
        running.filter { $0.value != .zero }
    }

    /// A month that shows only its totals (``walk(_:monthStart:detailed:mrrAtStart:)`` with
    /// `detailed` false), from the totals at its end: each currency's total as steady, leaving out
    /// the currencies in which no one has MRR.
    public static func steady(_ totals: [String: MRRTotal]) -> [String: MonthMRR] {
        var result: [String: MonthMRR] = [:]
        for (currency, total) in totals {
            let figures = MonthMRR(steadyTwelfths: total.twelfths, steadySupporters: total.supporters)
            if !figures.isEmpty { result[currency] = figures }
        }
        return result
    }

    /// The intervals a walk from `start` goes through to reach the end of `months` (consecutive
    /// `[start, end)` intervals, oldest first): when `start` comes before the first month, the
    /// interval between them is walked first.
    public static func intervals(from start: Date, covering months: [(start: Date, end: Date)]) -> [(
        start: Date, end: Date
    )] {
        guard let first = months.first, start < first.start else { return months }
        return [(start: start, end: first.start)] + months
    }

    /// Walks one month: adds `changes` (at most one per supporter and currency) to the totals.
    /// - Parameters:
    ///   - monthStart: the month's first instant; a supporter first paid before it had MRR earlier.
    ///   - detailed: whether the month's figures are wanted; without them only the totals move
    ///     and the result holds each currency's total as steady.
    ///   - mrrAtStart: the MRR in twelfths at the walk's ``start`` of the supporters given (currency
    ///     → supporter → twelfths, a supporter left out had none); asked once for each supporter,
    ///     the first month they move.
    /// - Returns: the month's MRR per currency code, leaving out currencies in which no one had
    ///   MRR at the month's start or end.
    /// - Throws: `PledgerError` `amount_overflow` when a total does not fit in 64 bits; what
    ///   `mrrAtStart` throws.
    public mutating func walk(
        _ changes: [Change], monthStart: Date, detailed: Bool,
        mrrAtStart: (Set<String>) throws -> [String: [String: Int64]]
    ) throws -> [String: MonthMRR] {
        let newcomers = Set(changes.map(\.supporterID)).subtracting(known)
        if !newcomers.isEmpty {
            for (currency, twelfths) in try mrrAtStart(newcomers) {
                state[currency, default: [:]].merge(twelfths) { _, fetched in fetched }
            }
            known.formUnion(newcomers)
        }
        var changed: [String: [SupporterMRR]] = [:]
        for change in changes {
            let before = state[change.currency]?[change.supporterID] ?? 0
            var total = running[change.currency] ?? .zero
            let after = try Self.add(before, change.twelfths, change.currency)
            total.twelfths = try Self.add(total.twelfths, change.twelfths, change.currency)
            total.supporters += (after != 0 ? 1 : 0) - (before != 0 ? 1 : 0)
            state[change.currency, default: [:]][change.supporterID] = after
            running[change.currency] = total
            guard detailed else { continue }
            let hadEarlier = change.firstPaidAt.map { $0 < monthStart } ?? false
            changed[change.currency, default: []].append(
                SupporterMRR(
                    supporterID: change.supporterID, startTwelfths: before, endTwelfths: after, hadEarlier: hadEarlier,
                    pausedTwelfths: change.pausedTwelfths, resumedTwelfths: change.resumedTwelfths))
        }
        var result: [String: MonthMRR] = [:]
        for (currency, total) in running {
            let moved = changed[currency] ?? []
            // The steady part is what the end total holds beyond the supporters who moved.
            var movedTwelfths: Int64 = 0
            for supporter in moved {
                movedTwelfths = try Self.add(movedTwelfths, supporter.endTwelfths, currency)
            }
            let (steadyTwelfths, wrapped) = total.twelfths.subtractingReportingOverflow(movedTwelfths)
            guard !wrapped else { throw Self.overflow(currency) }
            let steadySupporters = total.supporters - Int64(moved.filter { $0.endTwelfths != 0 }.count)
            let figures = MonthMRR(changed: moved, steadyTwelfths: steadyTwelfths, steadySupporters: steadySupporters)
            if !figures.isEmpty { result[currency] = figures }
        }
        return result
    }

    /// The changes of MRR over `interval` of the given pledges, one per supporter and currency that
    /// moved in it, ordered by currency and supporter: the rule the store's grouped SQL applies.
    /// - Throws: `PledgerError` `amount_overflow` when a sum does not fit in 64 bits.
    public static func changes(
        of timelines: some Sequence<PledgeTimeline>, in interval: (start: Date, end: Date)
    ) throws(PledgerError) -> [Change] {
        var sums: [Key: (total: Int64, paused: Int64, resumed: Int64)] = [:]
        var firstPaid: [Key: Date] = [:]
        for timeline in timelines where timeline.cadence.isRecurring {
            let key = Key(currency: timeline.currency, supporter: timeline.supporterID)
            if let paid = timeline.firstPaidAt { firstPaid[key] = min(paid, firstPaid[key] ?? paid) }
            guard let change = try timeline.change(in: interval) else { continue }
            var sum = sums[key] ?? (0, 0, 0)
            sum.total = try add(sum.total, change.twelfths, key.currency)
            sum.paused = try add(sum.paused, change.paused, key.currency)
            sum.resumed = try add(sum.resumed, change.resumed, key.currency)
            sums[key] = sum
        }
        return sums.keys.sorted { ($0.currency, $0.supporter) < ($1.currency, $1.supporter) }.map { key in
            let sum = sums[key]!
            return Change(
                supporterID: key.supporter, currency: key.currency, twelfths: sum.total, firstPaidAt: firstPaid[key],
                pausedTwelfths: sum.paused, resumedTwelfths: sum.resumed)
        }
    }

    /// A supporter in one currency.
    private struct Key: Hashable {
        var currency: String
        var supporter: String
    }

    private static func add(_ a: Int64, _ b: Int64, _ currency: String) throws(PledgerError) -> Int64 {
        let (sum, wrapped) = a.addingReportingOverflow(b)
        guard !wrapped else { throw overflow(currency) }
        return sum
    }

    private static func overflow(_ currency: String) -> PledgerError {
        PledgerError(
            .refused, code: "amount_overflow", message: "MRR in \(currency) exceeds the largest amount Pledger can hold"
        )
    }
}
