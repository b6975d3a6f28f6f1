import Foundation
import PledgerCore

/// Token buckets per key (a client address, an e-mail), in memory. It forgets full buckets when
/// it grows, so a flood of distinct keys cannot grow it without bound. One per server: behind
/// several servers each limits alone.
actor RateLimiter {
    private let rule: TokenBucket.Rule
    private var buckets: [String: TokenBucket] = [:]
    private let capacity: Int
    /// When full buckets were last forgotten: at most once a second, so that a table full of live
    /// buckets (a flood of addresses) costs each request nothing more than a lookup.
    private var pruned = Date.distantPast

    init(rule: TokenBucket.Rule, capacity: Int = 100_000) {
        self.rule = rule
        self.capacity = capacity
    }

    /// Takes a token for `key`: nil when allowed, else the seconds to wait.
    func take(_ key: String, at now: Date) -> Int? {
        if buckets.count >= capacity, now.timeIntervalSince(pruned) >= 1 {
            buckets = buckets.filter { !$0.value.isFull(at: now) }
            pruned = now
        }
        // Still full of live buckets: refuse new keys rather than grow (or forget who is limited).
        guard buckets[key] != nil || buckets.count < capacity else { return Int(rule.refill.rounded(.up)) }
        var bucket = buckets[key] ?? TokenBucket(rule: rule, now: now)
        let wait = bucket.take(at: now)
        buckets[key] = bucket
        return wait
    }
}
