import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// The transactional outbox: each change writes the event that announces it, in its own
/// transaction, with what a mailer needs; receipts are numbered per year without gaps.
@Suite("Outbox events")
struct OutboxTests {
    static let now = instant("2026-11-25T12:00:00Z")

    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        ledger = try TemporaryLedger(now: Self.now, config: GatewayWebhooks.config)
    }

    func events(_ type: OutboundEventType? = nil) async throws -> [OutboundEvent] {
        try await app.events.list(type: type, limit: 1000)
    }

    func gatewayFailure(_ pledge: ID<Pledge>, at: String) async throws -> WebhookResult {
        try await GatewayWebhooks.paymentFailed(app, pledge, at: at)
    }

    @Test("A pledge's life announces each step, in order, with the supporter and the amounts")
    func pledgeLife() async throws {
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: "Reader@Example.org", externalRef: "acct-7", amount: usd("10.00"), cadence: .monthly,
                source: "article-footer", at: instant("2026-10-01T09:00:00Z")))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("10.00"), fee: usd("0.59"), processor: "stripe", externalID: "pi_1",
                at: instant("2026-10-01T09:05:00Z")))
        _ = try await app.pledges.changeAmount(id: pledge.id, amount: usd("15.00"), at: instant("2026-10-10T00:00:00Z"))
        #expect(try await gatewayFailure(pledge.id, at: "2026-11-01T10:00:00Z").outcome == .processed)
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("15.00"), processor: "stripe", externalID: "pi_2",
                at: instant("2026-11-03T10:00:00Z")))
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .refund, paymentExternalID: "pi_2", amount: usd("5.00"), externalID: "re_1",
                at: instant("2026-11-04T10:00:00Z")))
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .chargeback, paymentExternalID: "pi_1", fee: usd("15.00"), externalID: "dp_1",
                at: instant("2026-11-05T10:00:00Z")))
        _ = try await app.pledges.cancel(id: pledge.id, at: instant("2026-11-20T00:00:00Z"))

        let all = try await events()
        #expect(
            all.map(\.type) == [
                .pledgeCreated, .paymentSucceeded, .pledgeActivated, .pledgeAmountChanged, .paymentFailed,
                .pledgePastDue, .paymentSucceeded, .pledgeActivated, .paymentRefunded, .paymentChargedBack,
                .pledgeCancelled,
            ])
        #expect(all.map(\.sequence) == Array(1...Int64(all.count)))
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(all.allSatisfy { $0.id.rawValue.hasPrefix("evt_") && $0.subjects.pledgeID == pledge.id })

        let created = try all[0].decodedData()
        #expect(created.supporter?.email == "reader@example.org")
        #expect(created.supporter?.externalRef == "acct-7")
        #expect(created.pledge?.amount == 1000 && created.pledge?.currency == "USD")
        #expect(created.pledge?.cadence == "monthly" && created.pledge?.source == "article-footer")

        let firstPayment = try all[1].decodedData()
        #expect(firstPayment.payment?.amount == 1000 && firstPayment.payment?.fee == 59)
        #expect(firstPayment.payment?.receiptNumber == "2026-000001")
        #expect(firstPayment.pledge?.status == "active")
        #expect(try all[2].decodedData().pledge?.previousStatus == "pending")
        let changed = try all[3].decodedData()
        #expect(changed.pledge?.amount == 1500 && changed.pledge?.previousAmount == 1000)
        #expect(try all[5].decodedData().pledge?.status == "past_due")
        #expect(try all[6].decodedData().payment?.receiptNumber == "2026-000002")
        #expect(try all[7].decodedData().pledge?.previousStatus == "past_due")
        let refund = try all[8].decodedData()
        #expect(refund.reversal?.amount == 500 && refund.reversal?.kind == "refund")
        #expect(refund.payment?.externalId == "pi_2")
        let chargeback = try all[9].decodedData()
        #expect(chargeback.reversal?.amount == 1000 && chargeback.reversal?.fee == 1500)

        // The body is the envelope a receiver gets: id, type, sequence, occurred_at, schema_version, data.
        let envelope = try #require(
            JSONSerialization.jsonObject(with: Data(all[10].body.utf8)) as? [String: Any])
        #expect(envelope["id"] as? String == all[10].id.rawValue)
        #expect(envelope["type"] as? String == "pledge.cancelled")
        #expect(envelope["sequence"] as? Int == 11)
        #expect(envelope["occurred_at"] as? String == "2026-11-20T00:00:00Z")
        #expect(envelope["schema_version"] as? Int == 1)
    }

    @Test("A refused change writes no event and takes no receipt number")
    func refusedChangeWritesNothing() async throws {
        let pledge = try await app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: usd("10.00"), cadence: .oneOff))
        let before = try await events().count
        await #expect(throws: PledgerError.self) {
            // A euro payment for a dollar pledge is refused inside the transaction.
            _ = try await app.payments.record(
                PaymentRequest(pledgeID: pledge.id, amount: eur("10.00"), externalID: "pi_wrong"))
        }
        #expect(try await events().count == before)
        let paid = try await app.payments.record(
            PaymentRequest(pledgeID: pledge.id, amount: usd("10.00"), externalID: "pi_right"))
        let receipt = try await events(.paymentSucceeded).last?.decodedData().payment?.receiptNumber
        #expect(receipt == "2026-000001")
        #expect(paid.externalID == "pi_right")
        // A one-off completed by its payment is announced by payment.succeeded alone.
        #expect(try await events().map(\.type) == [.pledgeCreated, .paymentSucceeded])
    }

    @Test("Receipt numbers run per calendar year of the payment, without gaps, whatever order they arrive in")
    func receiptNumbersPerYear() async throws {
        let times = [
            "2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2026-03-01T00:00:00Z",
            "2025-01-01T00:00:00Z",
        ]
        for (index, time) in times.enumerated() {
            _ = try await app.payments.record(
                PaymentRequest(pledgeID: nil, amount: usd("3.00"), externalID: "gift_\(index)", at: instant(time)))
        }
        let receipts = try await events(.paymentSucceeded).map { try $0.decodedData().payment?.receiptNumber }
        #expect(receipts == ["2025-000001", "2026-000001", "2025-000002", "2026-000002", "2025-000003"])
    }

    @Test("Reminders announce scheduling and each deferral")
    func reminderEvents() async throws {
        let first = try await app.reminders.schedule(
            ReminderRequest(email: "later@example.org", campaign: "winter", when: .delay(.days(3))))
        _ = try await app.reminders.schedule(
            ReminderRequest(email: "later@example.org", campaign: "winter", when: .delay(.days(5))))
        let all = try await events()
        #expect(all.map(\.type) == [.reminderScheduled, .reminderDeferred])
        let deferred = try all[1].decodedData()
        #expect(deferred.reminder?.id == first.reminder.id.rawValue)
        #expect(deferred.reminder?.deferrals == 1)
        #expect(deferred.reminder?.dueAt == "2026-11-30T12:00:00Z")
        #expect(deferred.supporter?.email == "later@example.org")
    }

    @Test("Erasure strips personal data from every stored event and announces itself without any")
    func erasure() async throws {
        let pledge = try await app.pledges.record(
            PledgeRequest(email: "gone@example.org", externalRef: "acct-9", amount: usd("5.00"), cadence: .monthly))
        _ = try await app.reminders.schedule(ReminderRequest(email: "gone@example.org"))
        let erased = try await app.operations.erase(email: "gone@example.org")
        let all = try await events()
        #expect(all.map(\.type) == [.pledgeCreated, .reminderScheduled, .supporterErased])
        for event in all {
            #expect(!event.body.contains("gone@example.org"))
            #expect(!event.body.contains("acct-9"))
            #expect(try event.decodedData().supporter?.id == erased.supporterID.rawValue)
        }
        #expect(try all[0].decodedData().pledge?.id == pledge.id.rawValue)
        #expect(try all[2].decodedData().supporter?.erased == true)
    }

    @Test("The database refuses to delete an event or rewrite one other than by erasure")
    func appendOnly() async throws {
        let pledge = try await app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: usd("5.00"), cadence: .oneOff))
        _ = try await app.payments.record(PaymentRequest(pledgeID: pledge.id, amount: usd("5.00"), externalID: "pi_1"))
        #expect(throws: (any Error).self) { try ledger.executeRawSQL("DELETE FROM outbox_events") }
        #expect(throws: (any Error).self) {
            try ledger.executeRawSQL("UPDATE outbox_events SET body = '{}'")
        }
        #expect(throws: (any Error).self) { try ledger.executeRawSQL("UPDATE outbox_events SET type = 'x'") }
        #expect(throws: (any Error).self) { try ledger.executeRawSQL("DELETE FROM receipt_numbers") }
        #expect(throws: (any Error).self) { try ledger.executeRawSQL("UPDATE receipt_numbers SET sequence = 9") }
        #expect(try await events().count == 2)
    }
}
