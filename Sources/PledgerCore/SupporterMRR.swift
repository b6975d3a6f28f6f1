/// One supporter's monthly recurring revenue in one currency at the month's two edges,
/// in twelfths of a minor unit so annual pledges (amount / 12) stay exact, with how much of the
/// move between them was pledges pausing and resuming.
public struct SupporterMRR: Sendable, Equatable {
    public let supporterID: String
    public let startTwelfths: Int64
    public let endTwelfths: Int64
    /// Whether the supporter had recurring revenue at any time before the month started.
    public let hadEarlier: Bool
    /// MRR that stopped in the month because pledges paused (a magnitude).
    public let pausedTwelfths: Int64
    /// MRR that came back in the month because paused pledges resumed.
    public let resumedTwelfths: Int64

    public init(
        supporterID: String, startTwelfths: Int64, endTwelfths: Int64, hadEarlier: Bool, pausedTwelfths: Int64 = 0,
        resumedTwelfths: Int64 = 0
    ) {
        self.supporterID = supporterID
        self.startTwelfths = startTwelfths
        self.endTwelfths = endTwelfths
        self.hadEarlier = hadEarlier
        self.pausedTwelfths = pausedTwelfths
        self.resumedTwelfths = resumedTwelfths
    }

    /// How one supporter's MRR moved over a month.
    public enum Movement: Sendable, Equatable {
        case unchanged, new, reactivated, expansion, contraction, churned
    }

    /// The MRR the rest of the month's move is measured from: the start, plus what resumed, less
    /// what paused. Pauses and resumptions are taken first, so a supporter whose only pledge
    /// paused has not churned, and one whose pledge resumed and grew expanded rather than joined.
    /// Each pledge's pause is held to what it had at the start plus what resumed
    /// (``PledgeTimeline/change(in:)``), so this is not below zero; the floor is a guard.
    public var baseTwelfths: Int64 {
        max(0, startTwelfths + resumedTwelfths - pausedTwelfths)
    }

    /// The pauses that count in the month's movement: all of them, unless some paused MRR that
    /// began within the month (see ``baseTwelfths``). `start + resumed − pausedCounted = base`.
    public var pausedCounted: Int64 {
        startTwelfths + resumedTwelfths - baseTwelfths
    }

    /// From ``baseTwelfths`` to the end: `new` (none at the base, none ever before),
    /// `reactivated` (none at the base, some earlier), `expansion`, `contraction`, `churned`
    /// (none at end), or `unchanged`.
    public var movement: Movement {
        switch (baseTwelfths, endTwelfths) {
        case (0, 0): .unchanged
        case (0, _): hadEarlier ? .reactivated : .new
        case (_, 0): .churned
        case (let b, let e): e > b ? .expansion : e < b ? .contraction : .unchanged
        }
    }
}
