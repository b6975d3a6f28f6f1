import Foundation

/// A token bucket: `burst` requests at once, then one more every `refill` seconds. Pure: the
/// caller passes the time, so tests need no clock.
public struct TokenBucket: Sendable, Equatable {
    /// A burst, then one more token every `refill` seconds.
    public struct Rule: Sendable, Equatable {
        public var burst: Int
        public var refill: TimeInterval

        public init(burst: Int, refill: TimeInterval) {
            self.burst = burst
            self.refill = refill
        }
    }

    public let rule: Rule
    private(set) var tokens: Double
    private(set) var updated: Date

    public init(rule: Rule, now: Date) {
        self.rule = rule
        self.tokens = Double(rule.burst)
        self.updated = now
    }

    /// Takes one token: nil when taken, else the seconds until one is back (for `Retry-After`).
    public mutating func take(at now: Date) -> Int? {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(Double(rule.burst), tokens + elapsed / rule.refill)
        updated = now
        guard tokens >= 1 else { return max(1, Int(((1 - tokens) * rule.refill).rounded(.up))) }
        tokens -= 1
        return nil
    }

    /// Whether the bucket is full again at `now`, so a limiter may forget it.
    public func isFull(at now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updated)) / rule.refill >= Double(rule.burst)
    }
}
