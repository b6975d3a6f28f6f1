import Foundation

/// When a failed delivery is tried again: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each
/// failure, then never (Standard Webhooks' suggested schedule, about 28 hours in all).
public struct RetrySchedule: Sendable, Equatable {
    /// Seconds to wait after the first, second… failed attempt.
    public let delays: [Int]

    public init(delays: [Int]) {
        self.delays = delays
    }

    public static let standard = RetrySchedule(delays: [5, 300, 1800, 7200, 18_000, 36_000, 36_000])

    /// How many attempts a delivery gets in all: the first and one per delay.
    public var attempts: Int { delays.count + 1 }

    /// When to try again after `failedAttempts` failures (1 after the first), or nil when the
    /// delivery has had all its attempts and is failed.
    public func nextAttempt(after failedAttempts: Int, failedAt: Date) -> Date? {
        guard failedAttempts >= 1, failedAttempts <= delays.count else { return nil }
        return failedAt.addingTimeInterval(TimeInterval(delays[failedAttempts - 1]))
    }
}
