import Foundation
import PledgerCore
import PledgerTestSupport
import Testing

@testable import PledgerApp

/// The box's in-memory rate limiter: per key, bounded in size, forgetting only full buckets.
@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("Keys are limited apart; when the table is full of live buckets a new key waits, until they refill")
    func boundedTable() async {
        let start = instant("2026-11-20T12:00:00Z")
        let limiter = RateLimiter(rule: .init(burst: 1, refill: 10), capacity: 2)
        #expect(await limiter.take("a", at: start) == nil)
        #expect(await limiter.take("a", at: start) == 10)
        #expect(await limiter.take("b", at: start) == nil)
        // Two live buckets fill the table: a third address waits rather than evicting who is limited.
        #expect(await limiter.take("c", at: start) == 10)
        // Once "a" and "b" are full again they are forgotten and "c" gets its own bucket.
        #expect(await limiter.take("c", at: start.addingTimeInterval(11)) == nil)
        #expect(await limiter.take("a", at: start.addingTimeInterval(11)) == nil)
    }
}
