import Foundation
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerStore
import PledgerTestSupport
import Testing

@Suite("Bulk demo generator")
struct BulkDemoTests {
    static let now = instant("2026-11-20T00:00:00Z")

    private func generate(seed: UInt64) async throws -> (TemporaryLedger, DemoHistory.Summary) {
        let ledger = try TemporaryLedger(now: Self.now)
        var demo = BulkDemo(supporters: 300, months: 6, seed: seed)
        demo.batch = 70  // several transactions, to show batching does not change the history
        return (ledger, try await demo.generate(into: ledger.app, now: Self.now))
    }

    @Test("The same seed gives the same history; the ledger verifies; every cadence and event kind occurs")
    func deterministic() async throws {
        let (first, summary) = try await generate(seed: 7)
        let (second, again) = try await generate(seed: 7)
        #expect(summary == again)
        #expect(summary.supporters == 300)
        #expect(summary.payments > 300)
        #expect(summary.refunds > 0)
        #expect(summary.cancellations > 0)
        #expect(summary.reminders > 0)
        #expect(summary.failures > 0)
        #expect(summary.chargebacks > 0)
        let month = ReportMonth(year: 2026, month: 10)
        let a = try await first.app.reports.monthly(month: month)
        let b = try await second.app.reports.monthly(month: month)
        #expect(a.currencies == b.currencies)
        #expect(a.reminders == b.reminders)
        let usd = try #require(a.currencies.first { $0.currency == "USD" })
        #expect(usd.receipts.monthly > 0)
        #expect(usd.receipts.oneOff > 0)
        #expect(usd.mrr.isBalanced)
        #expect(try await first.app.operations.verify().breaches == [])
        let (other, _) = try await generate(seed: 8)
        #expect(try await other.app.reports.monthly(month: month).currencies != a.currencies)
    }
}
