import Foundation
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerStore
import PledgerTestSupport
import Testing

/// The trend engine reads MRR as a running sum of changes (first payments, amount changes,
/// cancellations) grouped by month in one pass. These tests hold it to the plain definition:
/// each supporter's MRR read directly at the month's two edges and classified by Core.
@Suite("Trend figures agree with MRR read at each month's edges")
struct TrendConsistencyTests {
    static let now = instant("2026-11-20T12:00:00Z")

    /// Seeded random lives: several recurring pledges per reader, amounts changed before and after
    /// the first payment (sometimes at the very same millisecond), cancellations, returns, and
    /// changes entered out of time order.
    private func randomHistory(into app: Pledger, seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed)
        let start = instant("2025-10-01T00:00:00Z").timeIntervalSince1970
        let span = Self.now.timeIntervalSince1970 - start - 86_400
        for reader in 0..<60 {
            let email = "reader\(reader)@example.org"
            var t = start + Double(rng.next(upTo: UInt64(span / 2)))
            for _ in 0..<(1 + rng.next(upTo: 3)) {
                let currency: Currency = rng.chance(25) ? .eur : .usd
                let cadence: Cadence = rng.chance(70) ? .monthly : .annual
                let amount = { (rng: inout SeededGenerator) in
                    Money(minorUnits: Int64(200 + rng.next(upTo: 40) * 25), currency: currency)
                }
                func at(_ seconds: Double) -> Date {
                    Date(timeIntervalSince1970: min(seconds, Self.now.timeIntervalSince1970 - 1))
                }
                let pledge = try await app.pledges.record(
                    PledgeRequest(email: email, amount: amount(&rng), cadence: cadence, at: at(t)))
                if rng.chance(20) {
                    t += Double(rng.next(upTo: 86_400))
                    _ = try? await app.pledges.changeAmount(id: pledge.id, amount: amount(&rng), at: at(t))
                }
                t += Double(1 + rng.next(upTo: 5 * 86_400))
                guard t < Self.now.timeIntervalSince1970 - 1, !rng.chance(10) else { continue }
                _ = try await app.payments.record(
                    PaymentRequest(
                        pledgeID: pledge.id, amount: (try await app.pledges.pledge(id: pledge.id)).amount,
                        processor: "stripe",
                        externalID: "pi_\(pledge.id)", at: at(t)))
                if rng.chance(15) {
                    // The same millisecond as the payment: the order of events decides.
                    _ = try? await app.pledges.changeAmount(id: pledge.id, amount: amount(&rng), at: at(t))
                }
                var changes: [Double] = []
                for _ in 0..<rng.next(upTo: 3) {
                    t += Double(rng.next(upTo: 60 * 86_400))
                    changes.append(t)
                }
                // Entered latest first when the coin says so: MRR must follow the times, not the order of entry.
                if rng.chance(30) { changes.reverse() }
                for change in changes where change < Self.now.timeIntervalSince1970 - 1 {
                    _ = try? await app.pledges.changeAmount(id: pledge.id, amount: amount(&rng), at: at(change))
                }
                t = changes.max() ?? t
                if rng.chance(50) {
                    t += Double(rng.next(upTo: 90 * 86_400))
                    if t < Self.now.timeIntervalSince1970 - 1 {
                        _ = try await app.pledges.cancel(id: pledge.id, at: at(t))
                    }
                }
                t += Double(rng.next(upTo: 40 * 86_400))
            }
        }
    }

    @Test(
        "Random lives: every month's MRR movement and supporter counts",
        arguments: ["UTC", "Europe/Moscow", "America/New_York"])
    func randomLives(zone: String) async throws {
        let ledger = try TemporaryLedger(now: Self.now)
        try await randomHistory(into: ledger.app, seed: 5)
        try await compare(ledger, zone: try parseTimeZone(zone))
    }

    @Test(
        "The chart's twelve months, read for net and MRR only, equal the range report's",
        arguments: ["UTC", "Europe/Moscow"])
    func chartMonths(zone: String) async throws {
        let ledger = try TemporaryLedger(now: Self.now)
        try await randomHistory(into: ledger.app, seed: 7)
        let timeZone = try parseTimeZone(zone)
        let report = try await ledger.app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: timeZone)
        let range = try await ledger.app.reports.range(
            from: .init(year: 2025, month: 11), to: .init(year: 2026, month: 10), timeZone: timeZone)
        let expected = range.months.map { month in
            MonthlyReport.TrendPoint(
                month: month.month,
                currencies: month.currencies.map { .init(currency: $0.currency, net: $0.receipts.net, mrr: $0.mrr.end) }
            )
        }
        #expect(report.trend == expected)
        // The chart moves: a flat line would prove nothing.
        #expect(Set(expected.flatMap { $0.currencies.map(\.mrr) }).count > 6)
    }

    @Test("The demo's year of history")
    func demo() async throws {
        let ledger = try TemporaryLedger(now: Self.now)
        _ = try await DemoHistory(supporters: 120, seed: 11).generate(into: ledger.app)
        try await compare(ledger, zone: .gmt)
    }

    @Test("MRR checkpoints: later reports start from them, in any time zone, and writes dated before them are seen")
    func checkpoints() async throws {
        let ledger = try TemporaryLedger(now: Self.now)
        try await randomHistory(into: ledger.app, seed: 9)
        #expect(try await checkpointInstants(ledger).isEmpty)
        try await compare(ledger, zone: .gmt)
        let kept = try await checkpointInstants(ledger)
        // Every month start from September 2025 to November 2026 (the run's edges up to now).
        #expect(kept.count == 15)
        // Moscow's months start before the UTC checkpoints, New York's after: both walk from one.
        try await compare(ledger, zone: try parseTimeZone("Europe/Moscow"))
        try await compare(ledger, zone: try parseTimeZone("America/New_York"))
        // Each zone keeps its own month starts.
        let all = try await checkpointInstants(ledger)
        #expect(all.count == 3 * kept.count)

        // A pledge paid in March 2026 and cancelled in June, entered only now.
        let late = try await ledger.app.pledges.record(
            PledgeRequest(
                email: "late@example.org", amount: usd("9.00"), cadence: .monthly, at: instant("2026-03-01T10:00:00Z")))
        let survivors = try await checkpointInstants(ledger)
        #expect(survivors == all.filter { $0 <= instant("2026-03-01T10:00:00Z") })
        #expect(survivors.count < all.count)
        _ = try await ledger.app.payments.record(
            PaymentRequest(
                pledgeID: late.id, amount: usd("9.00"), processor: "stripe", externalID: "pi_late",
                at: instant("2026-03-02T10:00:00Z")))
        _ = try await ledger.app.pledges.cancel(id: late.id, at: instant("2026-06-01T10:00:00Z"))
        try await compare(ledger, zone: .gmt)
        try await compare(ledger, zone: try parseTimeZone("Europe/Moscow"))
        #expect(try await ledger.app.operations.verify().breaches == [])
    }

    private func checkpointInstants(_ ledger: TemporaryLedger) async throws -> [Date] {
        try await ledger.store.read { session in try session.mrrCheckpointInstants() }
    }

    private func compare(_ ledger: TemporaryLedger, zone: TimeZone) async throws {
        let range = try await ledger.app.reports.range(
            from: .init(year: 2025, month: 9), to: .init(year: 2026, month: 11), timeZone: zone)
        var movements = 0
        for month in range.months {
            let (start, end) = try ReportMonth.parse(month.month).interval(in: zone)
            let direct = try await ledger.store.read { try $0.supporterMRR(start: start, end: end) }
            #expect(
                Set(direct.keys)
                    == Set(month.currencies.filter { $0.supporters.start + $0.supporters.end > 0 }.map(\.currency)))
            for (code, supporters) in direct {
                let expected = try MRRMovement.classify(supporters)
                #expect(month.figures(code).mrr == expected, "\(month.month) \(code)")
                #expect(month.figures(code).supporters == SupporterCounts(supporters), "\(month.month) \(code)")
                movements += supporters.filter { $0.movement != .unchanged }.count
            }
        }
        // The history must actually move: a vacuous comparison would prove nothing.
        #expect(movements > 50)
    }
}
