import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

@testable import PledgerStore

/// The hash chain and verify against edits made to the SQLite file behind Pledger's back.
@Suite("Integrity")
struct IntegrityTests {
    /// Three payments and a refund, all chained.
    private func ledger() async throws -> (TemporaryLedger, [Payment]) {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let pledge = try await ledger.app.pledges.record(
            PledgeRequest(
                email: "a@example.org", amount: usd("10.00"), cadence: .monthly, at: instant("2026-08-01T00:00:00Z")))
        var payments: [Payment] = []
        for (n, day) in ["2026-08-01", "2026-09-01", "2026-10-01"].enumerated() {
            payments.append(
                try await ledger.app.payments.record(
                    PaymentRequest(
                        pledgeID: pledge.id, amount: usd("10.00"), fee: usd("0.59"), processor: "stripe",
                        externalID: "ch_\(n)", at: instant("\(day)T00:01:00Z"))))
        }
        _ = try await ledger.app.payments.reverse(
            ReversalRequest(kind: .refund, paymentExternalID: "ch_1", amount: usd("4.00"), externalID: "re_1"))
        return (ledger, payments)
    }

    /// Opens the file directly, as an intruder with the sqlite3 shell would.
    private func tamper(_ ledger: TemporaryLedger, _ sql: String) throws {
        let queue = try DatabaseQueue(path: ledger.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    @Test("Every transaction is chained as it is written, and verify recomputes the chain")
    func chained() async throws {
        let (ledger, _) = try await ledger()
        let (entries, transactions) = try await ledger.store.read { session in
            (try session.db.execute(sql: "SELECT 1"), ())
            return (
                try Int.fetchOne(session.db, sql: "SELECT COUNT(hash) FROM ledger_transactions") ?? 0,
                try Int.fetchOne(session.db, sql: "SELECT COUNT(*) FROM ledger_transactions") ?? 0
            )
        }
        #expect(entries == 4)
        #expect(transactions == 4)
        #expect(try await ledger.app.operations.verify().breaches == [])
    }

    @Test("A payment or refund row edited behind Pledger's back no longer agrees with its chained postings")
    func factEditIsCaught() async throws {
        let (ledger, _) = try await ledger()
        #expect(try await ledger.app.operations.verify().breaches == [])
        try tamper(
            ledger,
            """
            DROP TRIGGER payments_no_update;
            UPDATE payments SET amount = amount + 100
            WHERE seq = (SELECT seq FROM ledger_transactions WHERE external_id = 'ch_2');
            DROP TRIGGER reversals_no_update;
            UPDATE reversals SET fee = 25 WHERE seq = (SELECT seq FROM ledger_transactions WHERE external_id = 're_1');
            """)
        let breaches = try await ledger.app.operations.verify().breaches
        #expect(
            breaches.contains(
                "payment ch_2 no longer agrees with its ledger transaction (amount, fee, currency, cadence or time)"))
        #expect(
            breaches.contains("re_1 no longer agrees with its ledger transaction (amount, fee, currency, kind or time)")
        )
        #expect(!breaches.contains { $0.contains("ch_0") || $0.contains("ch_1") })
    }

    @Test("An MRR checkpoint that no longer matches the pledges is named by verify")
    func staleCheckpointIsCaught() async throws {
        let (ledger, _) = try await ledger()
        _ = try await ledger.app.reports.monthly(month: .init(year: 2026, month: 10))
        let instants = try await ledger.store.read { try $0.mrrCheckpointInstants() }
        // The twelve chart months' edges, November 2025 to November 2026.
        #expect(instants.count == 13)
        #expect(instants.first == instant("2025-11-01T00:00:00Z"))
        #expect(instants.last == instant("2026-11-01T00:00:00Z"))
        #expect(try await ledger.app.operations.verify().breaches == [])
        try tamper(
            ledger,
            "UPDATE mrr_checkpoint_totals SET twelfths = twelfths + 12 WHERE at = (SELECT MAX(at) FROM mrr_checkpoints)"
        )
        let breaches = try await ledger.app.operations.verify().breaches
        #expect(breaches.count == 1)
        #expect(breaches.first?.hasPrefix("MRR checkpoint at ") == true)
    }

    @Test("Two postings changed by +1.00 and −1.00 still balance, but verify names the transaction")
    func balancedEditIsCaught() async throws {
        let (ledger, payments) = try await ledger()
        let target = payments[1].transactionID
        try tamper(
            ledger,
            """
            DROP TRIGGER ledger_postings_no_update;
            UPDATE ledger_postings SET amount = amount + 100
            WHERE transaction_seq = (SELECT seq FROM ledger_transactions WHERE id = '\(target)') AND line = 1;
            UPDATE ledger_postings SET amount = amount - 100
            WHERE transaction_seq = (SELECT seq FROM ledger_transactions WHERE id = '\(target)') AND line = 2;
            """)
        let result = try await ledger.app.operations.verify()
        // The balance checks pass (it still sums to zero); the lost trigger and the chain do not.
        #expect(!result.breaches.contains { $0.contains("do not balance") })
        #expect(
            result.breaches.contains("table ledger_postings has lost its append-only trigger ledger_postings_no_update")
        )
        let chainBreach = try #require(result.breaches.first { $0.contains("hash chain") })
        #expect(chainBreach.contains(target.rawValue))
        #expect(chainBreach.contains("changed after they were written"))
    }

    @Test("A transaction slipped in without the chain, or a removed transaction, is named")
    func insertedOrRemoved() async throws {
        let (ledger, payments) = try await ledger()
        try tamper(
            ledger,
            plantedTransactionSQL(id: "tx_ghost", externalID: "ghost", debit: 100, credit: -100))
        #expect(
            try await ledger.app.operations.verify().breaches == [
                "ledger transaction tx_ghost is not in the hash chain: it was added behind Pledger's back"
            ])

        let (other, otherPayments) = try await self.ledger()
        try tamper(
            other,
            """
            DROP TRIGGER ledger_transactions_no_delete; DROP TRIGGER ledger_postings_no_delete; PRAGMA foreign_keys = OFF;
            DELETE FROM ledger_postings WHERE transaction_seq = (SELECT seq FROM ledger_transactions WHERE id = '\(otherPayments[0].transactionID)');
            DELETE FROM ledger_transactions WHERE id = '\(otherPayments[0].transactionID)';
            """
        )
        let breaches = try await other.app.operations.verify().breaches
        #expect(breaches.contains { $0.contains("does not follow the entry before it") })
        _ = payments
    }

    @Test("A ledger written before the chain existed is chained when next opened")
    func backfill() async throws {
        let (ledger, _) = try await ledger()
        try tamper(
            ledger,
            // As migration 0021 leaves a transaction that was never chained: its hash NULL.
            """
            DROP TRIGGER ledger_transactions_no_update; UPDATE ledger_transactions SET hash = NULL;
            CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
            WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.seq = OLD.seq AND NEW.id = OLD.id
                      AND NEW.kind = OLD.kind AND NEW.processor = OLD.processor AND NEW.external_id = OLD.external_id
                      AND NEW.occurred_at = OLD.occurred_at AND NEW.recorded_at = OLD.recorded_at)
            BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
            """
        )
        #expect(try await ledger.app.operations.verify().breaches.count == 1)
        let reopened = Pledger(store: try LedgerStore(path: ledger.path), clock: ledger.app.clock)
        #expect(try await reopened.operations.verify().breaches == [])
    }

    @Test("A stored webhook payload is frozen, except for one rewrite by an erasure")
    func webhookPayloadFrozen() async throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        try ledger.executeRawSQL(
            """
            INSERT INTO webhook_events (provider, event_id, type, payload, outcome, received_at) VALUES ('stripe', 'evt_1', 'x', CAST('{}' AS BLOB), 'ignored', 0)
            """)
        #expect {
            try ledger.executeRawSQL("UPDATE webhook_events SET payload = CAST('{\"a\":1}' AS BLOB)")
        } throws: {
            "\($0)".contains("keeps its payload unchanged")
        }
        #expect { try ledger.executeRawSQL("DELETE FROM webhook_events") } throws: {
            "\($0)".contains("append-only")
        }
        try ledger.executeRawSQL(
            "UPDATE webhook_events SET payload = CAST('{}' AS BLOB), erased_at = 1")
        #expect {
            try ledger.executeRawSQL(
                "UPDATE webhook_events SET payload = CAST('[]' AS BLOB), erased_at = 2")
        } throws: {
            "\($0)".contains("keeps its payload unchanged")
        }
    }
}
