import Foundation

/// Why supporters cancelled from their own page in a month: the cancel requests made in the month,
/// per reason, and how many of them the processor had confirmed by the month's end.
public struct CancellationReasons: Sendable, Equatable, Codable {
    /// One reason's count.
    public struct Line: Sendable, Equatable, Codable {
        public var reason: String
        public var requested: Int64
        public var confirmed: Int64

        public init(reason: String, requested: Int64, confirmed: Int64) {
            self.reason = reason
            self.requested = requested
            self.confirmed = confirmed
        }
    }

    /// Every reason of the fixed list, in its order, zeros included, so months compare line by line.
    public var reasons: [Line]

    public static let note =
        "cancel requests supporters made from their own page in the month, by the reason they picked; "
        + "confirmed: cancelled by the processor before the month's end"

    /// From the store's counts per reason (missing reasons are zero).
    public init(counts: [CancellationReason: (requested: Int64, confirmed: Int64)]) {
        reasons = CancellationReason.allCases.map { reason in
            let count = counts[reason] ?? (0, 0)
            return Line(reason: reason.rawValue, requested: count.requested, confirmed: count.confirmed)
        }
    }

    public static let empty = CancellationReasons(counts: [:])

    public var isEmpty: Bool { reasons.allSatisfy { $0.requested == 0 } }
}
