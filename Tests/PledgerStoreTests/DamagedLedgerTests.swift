import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import Testing

/// Issue 12, item 10: a ledger with a damaged index is found by the start-up check and by verify.
@Suite("Damaged ledgers")
struct DamagedLedgerTests {
    @Test("A zeroed index page: quick_check names it, verify does not say OK")
    func damagedIndex() async throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T12:00:00Z"))
        for n in 1...50 {
            _ = try await ledger.app.pledges.record(
                PledgeRequest(email: "r\(n)@example.org", amount: usd("5.00"), cadence: .monthly))
        }
        #expect(ledger.store.quickCheck().isEmpty)
        let queue = try DatabaseQueue(path: ledger.path)
        let (rootPage, pageSize) = try await queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'pledges_created'")!,
                try Int.fetchOne(db, sql: "PRAGMA page_size")!
            )
        }
        _ = try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger.path))
        try handle.seek(toOffset: UInt64((rootPage - 1) * pageSize))
        try handle.write(contentsOf: Data(count: pageSize))
        try handle.close()

        let reopened = try LedgerStore(path: ledger.path)
        let problems = reopened.quickCheck()
        #expect(!problems.isEmpty)
        #expect(problems.first?.contains("quick check") == true, "\(problems)")
        let app = Pledger(store: reopened)
        do {
            let verification = try await app.operations.verify()
            #expect(!verification.holds)
        } catch let error as StoreError {
            #expect("\(error)".contains("damaged"), "\(error)")
        }
    }
}
