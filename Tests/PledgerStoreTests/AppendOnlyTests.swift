import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

@testable import PledgerStore

@Suite("Append-only ledger")
struct AppendOnlyTests {
    /// A ledger with one row in every append-only table: a pledge, a paid payment, a refund, a reminder.
    private func populatedLedger() async throws -> TemporaryLedger {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let app = ledger.app
        _ = try await app.reminders.schedule(
            ReminderRequest(email: "a@example.org", at: instant("2026-11-01T00:00:00Z")))
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: "a@example.org", amount: usd("5.00"), cadence: .monthly, at: instant("2026-11-02T00:00:00Z")))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("5.00"), fee: usd("0.45"), processor: "stripe", externalID: "ch_1",
                at: instant("2026-11-02T00:01:00Z")))
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .refund, paymentExternalID: "ch_1", amount: usd("1.00"), externalID: "re_1",
                at: instant("2026-11-03T00:00:00Z")))
        return ledger
    }

    private func count(_ ledger: TemporaryLedger, _ table: String) throws -> Int {
        try ledger.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    private func firstColumn(_ ledger: TemporaryLedger, _ table: String) throws -> String {
        try ledger.store.pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid LIMIT 1", arguments: [table])
                ?? "rowid"
        }
    }

    @Test("UPDATE and DELETE are refused by triggers", arguments: StoreSession.appendOnlyTables)
    func refused(table: String) async throws {
        let ledger = try await populatedLedger()
        let rows = try count(ledger, table)
        #expect(rows > 0)
        #expect {
            // Every column set to itself: an UPDATE that changes nothing is still refused.
            try ledger.executeRawSQL(
                "UPDATE \(table) SET \(try firstColumn(ledger, table)) = \(try firstColumn(ledger, table))")
        } throws: { "\($0)".contains("\(table) is append-only") }
        #expect {
            try ledger.executeRawSQL("DELETE FROM \(table)")
        } throws: { "\($0)".contains("\(table) is append-only") }
        #expect(try count(ledger, table) == rows)
    }

    @Test("The same external id is never booked twice for a processor, even through raw SQL")
    func uniqueExternalIDs() async throws {
        let ledger = try await populatedLedger()
        #expect {
            try ledger.executeRawSQL(
                """
                INSERT INTO ledger_transactions (id, kind, processor, external_id, occurred_at, recorded_at)
                VALUES ('tx_dup', 'payment', 'stripe', 'ch_1', 0, 0)
                """)
        } throws: { "\($0)".contains("UNIQUE constraint failed") }
        // Another processor may use the same id.
        try ledger.executeRawSQL(
            """
            INSERT INTO ledger_transactions (id, kind, processor, external_id, occurred_at, recorded_at)
            VALUES ('tx_other', 'payment', 'paypal', 'ch_1', 0, 0)
            """)
        // Through the use case: a conflict, and nothing more in the ledger.
        let before = try count(ledger, "ledger_postings")
        let pledge = try #require(try await ledger.app.pledges.list().first)
        await #expect {
            try await ledger.app.payments.record(
                PaymentRequest(pledgeID: pledge.id, amount: usd("5.00"), processor: "stripe", externalID: "ch_1"))
        } throws: { ($0 as? PledgerError)?.code == "already_booked" }
        #expect(try count(ledger, "ledger_postings") == before)
    }

    @Test("A payment is found by its external id at whichever processor has it, and a clash asks for the processor")
    func paymentByExternalID() async throws {
        let ledger = try await populatedLedger()
        let pledge = try #require(try await ledger.app.pledges.list().first)
        for processor in ["paypal", "zahl"] {
            _ = try await ledger.app.payments.record(
                PaymentRequest(
                    pledgeID: pledge.id, amount: usd("5.00"), processor: processor, externalID: "ch_\(processor)"))
        }
        _ = try await ledger.app.payments.record(
            PaymentRequest(pledgeID: pledge.id, amount: usd("5.00"), processor: "paypal", externalID: "ch_1"))
        let found = try await ledger.store.read { session in
            try ["ch_1", "ch_paypal", "ch_zahl", "ch_none"].map {
                try session.payments(externalID: $0).map(\.processor)
            }
        }
        #expect(found == [["paypal", "stripe"], ["paypal"], ["zahl"], []])
        await #expect {
            try await ledger.app.payments.reverse(
                ReversalRequest(kind: .refund, paymentExternalID: "ch_1", amount: usd("1.00"), externalID: "re_2"))
        } throws: { ($0 as? PledgerError)?.field == "processor" }
        let refund = try await ledger.app.payments.reverse(
            ReversalRequest(
                kind: .refund, paymentExternalID: "ch_zahl", amount: usd("1.00"), externalID: "re_3"))
        #expect(refund.processor == "zahl")
    }

    @Test("verify names a breach planted under the triggers")
    func verifyFindsBreach() async throws {
        let ledger = try await populatedLedger()
        #expect(try await ledger.app.operations.verify().holds)
        // Plant an unbalanced posting the way only a bug or a hand edit could.
        try ledger.executeRawSQL(
            plantedTransactionSQL(id: "tx_bad", externalID: "adj_1", debit: 100, credit: -99))
        let result = try await ledger.app.operations.verify()
        // Two breaches: it is outside the hash chain, and it does not balance in USD.
        #expect(result.breaches.count == 2)
        #expect(result.breaches.contains { $0.contains("tx_bad") && $0.contains("do not balance in USD") })
        #expect(result.breaches.contains { $0.contains("tx_bad") && $0.contains("not in the hash chain") })
    }

    @Test("verify notices a dropped trigger")
    func verifyFindsMissingTrigger() async throws {
        let ledger = try await populatedLedger()
        try ledger.executeRawSQL("DROP TRIGGER payments_no_delete")
        let result = try await ledger.app.operations.verify()
        #expect(result.breaches == ["table payments has lost its append-only trigger payments_no_delete"])
    }
}
