import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import Testing

/// Issue 12, item 3: `verify` fails on any amount a report cannot sum.
@Suite("Amount bounds in verify")
struct AmountBoundsTests {
    let now = instant("2026-11-20T12:00:00Z")

    @Test("verify fails on an amount no report can sum, written behind Pledger's back")
    func verifySeesUnsummableAmounts() async throws {
        let ledger = try TemporaryLedger(now: now)
        let pledge = try await ledger.app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: usd("10.00"), cadence: .monthly))
        #expect(try await ledger.app.operations.verify().breaches.isEmpty)
        let queue = try DatabaseQueue(path: ledger.path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE pledges SET amount = 9223372036854775807 WHERE id = ?", arguments: [pledge.id])
        }
        try queue.close()
        let breaches = try await ledger.app.operations.verify().breaches
        #expect(
            breaches.contains { $0.contains("pledge \(pledge.id)") && $0.contains("report can sum") }, "\(breaches)")
    }
}
