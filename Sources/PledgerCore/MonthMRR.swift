/// One currency's recurring revenue over one month, as the trend reports read it: the
/// supporters whose MRR changed in the month one by one, and those whose MRR stayed the same
/// as one sum — they add to start and end alike and move nothing, so the movement and the
/// counts are exactly those of ``MRRMovement/classify(_:)`` over every supporter.
public struct MonthMRR: Sendable, Equatable {
    public var changed: [SupporterMRR]
    /// Twelfths of a minor unit held by supporters whose MRR did not change.
    public var steadyTwelfths: Int64
    /// How many supporters held them.
    public var steadySupporters: Int64

    public init(changed: [SupporterMRR] = [], steadyTwelfths: Int64 = 0, steadySupporters: Int64 = 0) {
        self.changed = changed
        self.steadyTwelfths = steadyTwelfths
        self.steadySupporters = steadySupporters
    }

    /// Whether nobody had recurring revenue at the month's start or end, and nothing paused or
    /// resumed in between (a pledge that resumed and ended within the month still shows).
    public var isEmpty: Bool {
        steadySupporters == 0
            && changed.allSatisfy {
                $0.startTwelfths == 0 && $0.endTwelfths == 0 && $0.pausedTwelfths == 0 && $0.resumedTwelfths == 0
            }
    }

    /// The month's MRR movement, rounded as ``MRRMovement/classify(_:)`` rounds it.
    public func movement() throws(PledgerError) -> MRRMovement {
        let steady = SupporterMRR(
            supporterID: "", startTwelfths: steadyTwelfths, endTwelfths: steadyTwelfths, hadEarlier: true)
        return try MRRMovement.classify(changed + [steady])
    }

    /// Supporters at the start and end and how many moved each way.
    public var counts: SupporterCounts {
        var counts = SupporterCounts(changed)
        counts.start += steadySupporters
        counts.end += steadySupporters
        return counts
    }
}
