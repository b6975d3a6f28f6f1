/// One supporter's monthly recurring revenue in one currency at the month's two edges,
/// in twelfths of a minor unit so annual pledges (amount / 12) stay exact.
public struct SupporterMRR: Sendable, Equatable {
    public let supporterID: String
    public let startTwelfths: Int64
    public let endTwelfths: Int64
    /// Whether the supporter had recurring revenue at any time before the month started.
    public let hadEarlier: Bool

    public init(supporterID: String, startTwelfths: Int64, endTwelfths: Int64, hadEarlier: Bool) {
        self.supporterID = supporterID
        self.startTwelfths = startTwelfths
        self.endTwelfths = endTwelfths
        self.hadEarlier = hadEarlier
    }

    /// How one supporter's MRR moved over a month.
    public enum Movement: Sendable, Equatable {
        case unchanged, new, reactivated, expansion, contraction, churned
    }

    /// `new` (none at start, none ever before), `reactivated` (none at start, some earlier),
    /// `expansion`, `contraction`, `churned` (none at end), or `unchanged`.
    public var movement: Movement {
        switch (startTwelfths, endTwelfths) {
        case (0, 0): .unchanged
        case (0, _): hadEarlier ? .reactivated : .new
        case (_, 0): .churned
        case (let b, let e): e > b ? .expansion : e < b ? .contraction : .unchanged
        }
    }
}
