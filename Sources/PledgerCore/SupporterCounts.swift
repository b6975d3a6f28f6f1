/// How many supporters had recurring revenue in a currency at the month's start and end, and
/// how many of them moved each way (the counts behind ``MRRMovement``'s amounts).
public struct SupporterCounts: Sendable, Equatable, Codable {
    /// Supporters with MRR at the month's start.
    public var start: Int64 = 0
    public var new: Int64 = 0
    public var reactivated: Int64 = 0
    /// Supporters without MRR at the start whom a resumed pledge brought back.
    public var resumed: Int64 = 0
    public var expanded: Int64 = 0
    public var contracted: Int64 = 0
    /// Supporters with MRR at the start who have none left after their pledges paused.
    public var paused: Int64 = 0
    public var churned: Int64 = 0
    /// Supporters with MRR at the month's end: `start + new + reactivated + resumed − paused − churned`.
    public var end: Int64 = 0

    public init() {}

    /// Counts `supporters` by their ``SupporterMRR/movement``.
    public init(_ supporters: some Sequence<SupporterMRR>) {
        for s in supporters {
            add(s)
        }
    }

    /// Adds one supporter's month.
    public mutating func add(_ s: SupporterMRR) {
        if s.startTwelfths != 0 { start += 1 }
        if s.endTwelfths != 0 { end += 1 }
        switch (s.startTwelfths != 0, s.baseTwelfths != 0) {
        case (true, false): paused += 1
        case (false, true): resumed += 1
        default: break
        }
        switch s.movement {
        case .unchanged: break
        case .new: new += 1
        case .reactivated: reactivated += 1
        case .expansion: expanded += 1
        case .contraction: contracted += 1
        case .churned: churned += 1
        }
    }
}
