/// MRR at the month's start and end and the movement between them, in minor units.
/// `start + new + reactivated + resumed + expansion − contraction − paused − churned = end` holds exactly.
public struct MRRMovement: Sendable, Equatable, Codable {
    public var start: Int64
    public var new: Int64
    public var reactivated: Int64
    /// MRR of paused pledges that resumed: not new money, not a reactivation.
    public var resumed: Int64
    public var expansion: Int64
    public var contraction: Int64
    /// MRR of pledges that paused: gone for now, not churned.
    public var paused: Int64
    public var churned: Int64
    public var end: Int64

    public init(
        start: Int64, new: Int64, reactivated: Int64, resumed: Int64 = 0, expansion: Int64, contraction: Int64,
        paused: Int64 = 0, churned: Int64, end: Int64
    ) {
        self.start = start
        self.new = new
        self.reactivated = reactivated
        self.resumed = resumed
        self.expansion = expansion
        self.contraction = contraction
        self.paused = paused
        self.churned = churned
        self.end = end
    }

    /// Classifies each supporter: their pauses and resumptions as `paused` and `resumed`, then
    /// what is left by comparing their MRR after those (``SupporterMRR/baseTwelfths``) with the
    /// end: `new` (none at the base, none ever before), `reactivated` (none at the base, some
    /// earlier), `expansion`, `contraction`, `churned` (none at end).
    ///
    /// Start and end are each rounded half-to-even once, after summing, as DESIGN defines MRR.
    /// The movements are rounded cumulatively (each is the change of the rounded running total)
    /// so the identity holds exactly and no movement is off by more than one minor unit.
    public static func classify(_ supporters: [SupporterMRR]) throws(PledgerError) -> MRRMovement {
        var start: Int64 = 0
        var new: Int64 = 0
        var reactivated: Int64 = 0
        var resumed: Int64 = 0
        var expansion: Int64 = 0
        var contraction: Int64 = 0
        var paused: Int64 = 0
        var churned: Int64 = 0
        var end: Int64 = 0
        for s in supporters {
            start = try checkedAdd(start, s.startTwelfths)
            end = try checkedAdd(end, s.endTwelfths)
            resumed = try checkedAdd(resumed, s.resumedTwelfths)
            paused = try checkedAdd(paused, s.pausedCounted)
            let base = s.baseTwelfths
            switch s.movement {
            case .unchanged: break
            case .new: new = try checkedAdd(new, s.endTwelfths)
            case .reactivated: reactivated = try checkedAdd(reactivated, s.endTwelfths)
            case .churned: churned = try checkedAdd(churned, base)
            case .expansion: expansion = try checkedAdd(expansion, s.endTwelfths - base)
            case .contraction: contraction = try checkedAdd(contraction, base - s.endTwelfths)
            }
        }
        // Running totals in twelfths; each rounded step is one movement.
        let r0 = start
        let r1 = try checkedAdd(r0, new)
        let r2 = try checkedAdd(r1, reactivated)
        let r3 = try checkedAdd(r2, resumed)
        let r4 = try checkedAdd(r3, expansion)
        let r5 = r4 - contraction
        let r6 = r5 - paused
        let r7 = r6 - churned
        precondition(r7 == end, "MRR movement does not telescope")
        let rounded = [r0, r1, r2, r3, r4, r5, r6, r7].map { roundHalfEven($0, dividedBy: 12) }
        return MRRMovement(
            start: rounded[0], new: rounded[1] - rounded[0], reactivated: rounded[2] - rounded[1],
            resumed: rounded[3] - rounded[2], expansion: rounded[4] - rounded[3], contraction: rounded[4] - rounded[5],
            paused: rounded[5] - rounded[6], churned: rounded[6] - rounded[7], end: rounded[7]
        )
    }

    /// Whether `start + new + reactivated + resumed + expansion − contraction − paused − churned = end`.
    public var isBalanced: Bool {
        start + new + reactivated + resumed + expansion - contraction - paused - churned == end
    }
}

/// `value / divisor` rounded half to even (bankers' rounding, so rounding does not drift one
/// way over many sums); `divisor` must be positive.
public func roundHalfEven(_ value: Int64, dividedBy divisor: Int64) -> Int64 {
    precondition(divisor > 0, "divisor must be positive")
    // Swift's / truncates toward zero; divisor > 0 so neither / nor % can overflow.
    var quotient = value / divisor
    let remainder = (value % divisor).magnitude
    let rest = divisor.magnitude - remainder  // compared instead of 2 × remainder, which could overflow
    if remainder != 0 && (remainder > rest || (remainder == rest && quotient % 2 != 0)) {
        // Rounding away from zero cannot overflow: |quotient| <= |value| / 2 here.
        quotient += value < 0 ? -1 : 1
    }
    return quotient
}

func checkedAdd(_ a: Int64, _ b: Int64) throws(PledgerError) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    guard !overflow else {
        throw PledgerError(
            .refused, code: "amount_overflow", message: "a sum exceeds the largest amount Pledger can hold")
    }
    return sum
}
