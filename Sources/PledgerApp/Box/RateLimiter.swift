import Foundation
import PledgerCore

/// Token buckets per key (a client address, an e-mail), in memory. It forgets full buckets when
/// it grows, so a flood of distinct keys cannot grow it without bound. One per server: behind
/// several servers each limits alone.
actor RateLimiter {
    private let rule: TokenBucket.Rule
    private var buckets: [String: TokenBucket] = [:]
    private let capacity: Int

    init(rule: TokenBucket.Rule, capacity: Int = 100_000) {
        self.rule = rule
        self.capacity = capacity
    }

    /// Takes a token for `key`: nil when allowed, else the seconds to wait.
    func take(_ key: String, at now: Date) -> Int? {
        if buckets.count >= capacity { buckets = buckets.filter { !$0.value.isFull(at: now) } }
        // Still full of live buckets: refuse new keys rather than grow (or forget who is limited).
        guard buckets[key] != nil || buckets.count < capacity else { return Int(rule.refill.rounded(.up)) }
        var bucket = buckets[key] ?? TokenBucket(rule: rule, now: now)
        let wait = bucket.take(at: now)
        buckets[key] = bucket
        return wait
    }
}
