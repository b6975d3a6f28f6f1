import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

@Suite("Backup, restore and erasure")
struct OperationsTests {
    private func history() async throws -> TemporaryLedger {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let app = ledger.app
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: "Private.Person@example.org", externalRef: "acct-77", amount: usd("8.00"), cadence: .monthly,
                at: instant("2026-10-01T00:00:00Z")))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("8.00"), fee: usd("0.50"), externalID: "ch_p1",
                at: instant("2026-10-01T00:01:00Z")))
        _ = try await app.reminders.schedule(
            ReminderRequest(
                email: "private.person@example.org", campaign: "year-end", at: instant("2026-10-05T00:00:00Z")))
        return ledger
    }

    @Test("A backup is a verified copy; restore refuses to overwrite without force, then restores")
    func backupAndRestore() async throws {
        let ledger = try await history()
        let copy = ledger.directory.appending(path: "copy.sqlite").path
        let check = try await ledger.app.operations.backup(to: copy)
        #expect(check.holds)
        #expect(check.transactionsChecked == 1)
        await #expect { try await ledger.app.operations.backup(to: copy) } throws: {
            ($0 as? PledgerError)?.field == "to"
        }

        // Money booked after the backup is gone once the backup is restored.
        _ = try await ledger.app.payments.record(
            PaymentRequest(pledgeID: nil, amount: usd("3.00"), externalID: "cash_after"))
        await #expect {
            try await Operations.restore(from: copy, to: ledger.path, force: false)
        } throws: { ($0 as? PledgerError)?.code == "ledger_exists" }
        let target = ledger.directory.appending(path: "restored.sqlite").path
        let restored = try await Operations.restore(from: copy, to: target, force: false)
        #expect(restored.holds)
        let app = Pledger(store: try LedgerStore(path: target), clock: ledger.app.clock)
        let october = try await app.reports.monthly(month: .init(year: 2026, month: 10))
        #expect(october.currencies.first?.receipts.gross == 800)
        #expect(try await app.store.read { try $0.payment(processor: "manual", externalID: "cash_after") } == nil)
    }

    @Test("Erasing a supporter removes the e-mail and external ref, keeps the money, and reports do not change")
    func erasure() async throws {
        let ledger = try await history()
        let app = ledger.app
        // A stored webhook payload that names the supporter, the way Stripe's customer_details do.
        let body = Array(
            #"{"type": "pledge.note", "data": {"email": "Private.Person@example.org", "occurred_at": "2026-10-02T00:00:00Z"}}"#
                .utf8)
        let signature = try StandardWebhooksScheme.sign(
            id: "msg_pii", timestamp: Int64(ledger.app.clock.now.timeIntervalSince1970), body: body,
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        var config = PledgerConfig()
        config.webhooks.standardSecrets = ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
        let withSecret = Pledger(store: ledger.store, clock: app.clock, config: config)
        let stored = try await withSecret.webhooks.ingest(
            WebhookDelivery(
                provider: .standard,
                headers: [
                    ("webhook-id", "msg_pii"), ("webhook-timestamp", "\(Int64(app.clock.now.timeIntervalSince1970))"),
                    ("webhook-signature", signature),
                ],
                body: body))
        #expect(stored.outcome == .ignored)

        let before = try await app.reports.monthly(month: .init(year: 2026, month: 10))
        let erased = try await app.operations.erase(email: " PRIVATE.person@example.org")
        #expect(erased.pledges == 1)

        #expect(try await app.pledges.list(email: "private.person@example.org").isEmpty)
        let pledge = try #require(try await app.pledges.list().first)
        #expect(pledge.email == nil)
        #expect(pledge.externalRef == nil)
        #expect(pledge.amount == usd("8.00"))
        #expect(try await app.reminders.list().first?.email == nil)
        let after = try await app.reports.monthly(month: .init(year: 2026, month: 10))
        #expect(after.currencies == before.currencies)
        #expect(after.reminders == before.reminders)
        #expect(try await app.operations.verify().holds)
        await #expect { try await app.operations.erase(email: "private.person@example.org") } throws: {
            ($0 as? PledgerError)?.kind == .notFound
        }
        // Nothing of the address is left: not in supporters, not in stored webhook payloads.
        let leftovers = try await ledger.store.read { try $0.supporter(externalRef: "acct-77") }
        #expect(leftovers == nil)
        let payload = try #require(
            try await ledger.store.read { try $0.webhookEvent(provider: .standard, eventID: "msg_pii") }?.payload)
        let text = String(decoding: payload, as: UTF8.self)
        #expect(!text.lowercased().contains("private.person"))
        #expect(text.contains("erased@invalid"))
    }

    @Test("A backup taken while payments are being written is consistent and passes verify")
    func backupUnderWrites() async throws {
        let ledger = try await history()
        let app = ledger.app
        let pledge = try #require(try await app.pledges.list().first)
        let copy = ledger.directory.appending(path: "live-copy.sqlite").path
        let check = try await withThrowingTaskGroup(of: Verification?.self) { group in
            group.addTask {
                for n in 0..<200 {
                    _ = try await app.payments.record(
                        PaymentRequest(
                            pledgeID: pledge.id, amount: usd("8.00"), externalID: "ch_live_\(n)",
                            at: instant("2026-11-01T00:00:00Z")))
                }
                return nil
            }
            group.addTask { try await app.operations.backup(to: copy) }
            var result: Verification?
            for try await value in group where value != nil { result = value }
            return try #require(result)
        }
        #expect(check.holds, "\(check.breaches)")
        // The copy holds a prefix of the writes: the first payment and some of the 200, whole.
        #expect((1...201).contains(check.transactionsChecked))
        #expect(try await app.operations.verify().transactionsChecked == 201)
    }
}
