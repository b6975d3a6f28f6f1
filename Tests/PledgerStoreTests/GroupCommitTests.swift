import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

@testable import PledgerStore

@Suite("Group commit")
struct GroupCommitTests {
    @Test("Concurrent writes share transactions; each stands or falls alone; all are durable when they return")
    func concurrentWrites() async throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let app = ledger.app
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: "g@example.org", amount: usd("5.00"), cadence: .monthly, at: instant("2026-10-01T00:00:00Z")))
        let before = ledger.store.committer.transactionCount
        // 300 payments from 300 concurrent tasks; every 10th reuses an id and must be refused alone.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<300 {
                group.addTask {
                    let id = n % 10 == 9 ? "ch_\(n - 1)" : "ch_\(n)"
                    do {
                        _ = try await app.payments.record(
                            PaymentRequest(
                                pledgeID: pledge.id, amount: usd("5.00"), externalID: id,
                                at: instant("2026-10-02T00:00:00Z")))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(outcomes.filter { $0 }.count == 270)
        let transactions = ledger.store.committer.transactionCount - before
        #expect(transactions < 300, "grouped into \(transactions) transactions")
        // Everything acknowledged is on disk: a second store on the same file sees it.
        let reopened = try LedgerStore(path: ledger.path)
        let counts = try await reopened.read { try $0.rowCounts() }
        #expect(counts["payments"] == 270)
        #expect(counts["ledger_transactions"] == 270)
        #expect(try await Pledger(store: reopened, clock: app.clock).operations.verify().holds)
    }

    @Test("A write alone in its group that fails half way leaves nothing behind, and the next write commits")
    func loneWriteRollsBack() async throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        struct HalfWay: Error {}
        let before = ledger.store.committer.transactionCount
        // Written, then thrown: with no savepoint of its own, the transaction's rollback must undo it.
        await #expect(throws: HalfWay.self) {
            try await ledger.store.write { session in
                try session.db.execute(
                    sql: "INSERT INTO supporters (id, email, created_at) VALUES ('sp_half', 'half@example.org', 0)")
                throw HalfWay()
            }
        }
        try await ledger.store.write { session in
            try session.db.execute(
                sql: "INSERT INTO supporters (id, email, created_at) VALUES ('sp_next', 'next@example.org', 0)")
        }
        #expect(ledger.store.committer.transactionCount - before == 2)
        let reopened = try LedgerStore(path: ledger.path)
        let ids = try await reopened.read { session in
            try session.fetchAll(String.self, sql: "SELECT id FROM supporters ORDER BY seq")
        }
        #expect(ids == ["sp_next"])
    }
}
