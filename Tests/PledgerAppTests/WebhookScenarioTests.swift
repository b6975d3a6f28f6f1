import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// Signed fixture events fed through ingestion, checking ledger rows, pledge states and the
/// monthly reports exactly.
///
/// The story (USD through Stripe, EUR through the publisher's gateway on the Standard Webhooks endpoint):
/// - P1 monthly 10.00 USD: subscription checkout links sub_1Qsub…; invoice.paid (classic shape) books
///   pi_1QpiInv… on 10-01; the 2025-shape invoice books in_1QinvBasil… on 11-01; the first invoice's charge
///   is disputed on 11-03 (10.00 + 15.00 fee); upgraded to 15.00 on 11-05; renewal fails 11-10 (past due);
///   subscription deleted 11-20.
/// - P2 one-off 25.00 USD: payment checkout books pi_1QpiPay… on 10-02; payment_intent.succeeded for the same
///   money changes nothing; 5.00 refunded on 10-05.
/// - P4 one-off 15.00 USD: its full refund (10-07) arrives before its payment (10-06): unmatched, then replayed.
/// - P3 monthly 5.00 EUR (own schema): paid 10-15 (fee 0.20), 2.00 refunded 10-20; paid 11-15 (fee 0.20);
///   failed 11-16; charged back 11-18 (fee 10.00); cancelled 11-22.
@Suite("Webhook ingestion")
struct WebhookScenarioTests {
    static let stripeSecret = "whsec_test_scenario_secret"
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let now = instant("2026-11-25T00:00:00Z")

    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }
    var pledgeIDs: [String: ID<Pledge>] = [:]

    init() async throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(
            stripeSecrets: ["whsec_new_rotated", Self.stripeSecret], standardSecrets: [Self.standardSecret])
        ledger = try TemporaryLedger(now: Self.now, config: config)
        for (key, email, amount, cadence, at) in [
            ("P1", "monthly.reader@example.org", usd("10.00"), Cadence.monthly, "2026-10-01T09:00:00Z"),
            ("P2", "oneoff.reader@example.org", usd("25.00"), .oneOff, "2026-10-02T09:00:00Z"),
            ("P3", "gateway.reader@example.org", eur("5.00"), .monthly, "2026-10-15T09:00:00Z"),
            ("P4", "late.reader@example.org", usd("15.00"), .oneOff, "2026-10-06T15:00:00Z"),
        ] {
            let pledge = try await ledger.app.pledges.record(
                PledgeRequest(email: email, amount: amount, cadence: cadence, at: instant(at)))
            pledgeIDs[key] = pledge.id
        }
    }

    /// A fixture's bytes with the pledge placeholders filled in.
    func fixture(_ provider: WebhookProvider, _ name: String) throws -> [UInt8] {
        var text = try String(
            contentsOf: fixturesDirectory().appending(path: "webhooks/\(provider.rawValue)/\(name).json"),
            encoding: .utf8)
        for (key, id) in pledgeIDs { text = text.replacingOccurrences(of: "{{\(key)}}", with: id.rawValue) }
        return Array(text.utf8)
    }

    /// Signs `body` as the processor would, `age` seconds before now.
    func delivery(
        _ provider: WebhookProvider, _ body: [UInt8], id: String = "msg_\(UUID().uuidString)", age: Int64 = 5,
        secret: String? = nil
    ) throws -> WebhookDelivery {
        let timestamp = Int64(Self.now.timeIntervalSince1970) - age
        switch provider {
        case .stripe:
            let signature = StripeSignatureScheme.sign(
                body: body, secret: secret ?? Self.stripeSecret, timestamp: timestamp)
            return WebhookDelivery(provider: .stripe, headers: [("Stripe-Signature", signature)], body: body)
        case .standard:
            let signature = try StandardWebhooksScheme.sign(
                id: id, timestamp: timestamp, body: body, secret: secret ?? Self.standardSecret)
            return WebhookDelivery(
                provider: .standard,
                headers: [("webhook-id", id), ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", signature)],
                body: body)
        }
    }

    @discardableResult
    func ingest(_ provider: WebhookProvider, _ name: String, id: String? = nil) async throws -> WebhookResult {
        let body = try fixture(provider, name)
        return try await app.webhooks.ingest(try delivery(provider, body, id: id ?? "msg_\(name)"))
    }

    func status(_ key: String) async throws -> PledgeStatus {
        try await app.pledges.pledge(id: pledgeIDs[key]!).status
    }

    func counts() async throws -> [String: Int] {
        try await ledger.store.read { try $0.rowCounts() }
    }

    @Test("The whole story, then both monthly reports")
    func story() async throws {
        // October
        #expect(try await ingest(.stripe, "customer_created_ignored").outcome == .ignored)
        let link = try await ingest(.stripe, "checkout_session_completed_subscription")
        #expect(link.outcome == .processed)
        #expect(try await status("P1") == .pending)  // linked, not paid
        #expect(try await ingest(.stripe, "invoice_paid").outcome == .processed)
        #expect(try await status("P1") == .active)
        #expect(try await ingest(.stripe, "checkout_session_completed_payment").outcome == .processed)
        #expect(try await status("P2") == .completed)
        let sibling = try await ingest(.stripe, "payment_intent_succeeded")
        #expect(sibling.outcome == .processed)
        #expect(sibling.detail?.contains("already booked") == true)
        #expect(try await ingest(.stripe, "charge_refunded").outcome == .processed)

        let early = try await ingest(.stripe, "charge_refunded_before_payment")
        #expect(early.outcome == .unmatched)
        #expect(try await ingest(.stripe, "payment_intent_succeeded_late").outcome == .processed)
        let replayed = try await app.webhooks.replay(eventID: "evt_1QchRefEarly00000000001")
        #expect(replayed.outcome == .processed)
        #expect(try await app.webhooks.events(outcome: .unmatched).isEmpty)
        // Replaying again is refused: the event is no longer unmatched.
        await #expect { try await app.webhooks.replay(eventID: "evt_1QchRefEarly00000000001") } throws: {
            ($0 as? PledgerError)?.code == "not_replayable"
        }

        #expect(try await ingest(.standard, "payment_succeeded").outcome == .processed)
        #expect(try await status("P3") == .active)
        #expect(try await ingest(.standard, "payment_refunded").outcome == .processed)

        // November
        #expect(try await ingest(.stripe, "invoice_paid_2025").outcome == .processed)
        #expect(try await ingest(.stripe, "charge_dispute_created").outcome == .processed)
        #expect(try await ingest(.stripe, "customer_subscription_updated").outcome == .processed)
        #expect(try await app.pledges.pledge(id: pledgeIDs["P1"]!).amount == usd("15.00"))
        #expect(try await ingest(.stripe, "invoice_payment_failed").outcome == .processed)
        #expect(try await status("P1") == .pastDue)
        #expect(try await ingest(.stripe, "customer_subscription_deleted").outcome == .processed)
        #expect(try await status("P1") == .cancelled)

        #expect(try await ingest(.standard, "payment_succeeded_second").outcome == .processed)
        #expect(try await ingest(.standard, "payment_failed").outcome == .processed)
        #expect(try await status("P3") == .pastDue)
        #expect(try await ingest(.standard, "chargeback").outcome == .processed)
        #expect(try await ingest(.standard, "cancelled").outcome == .processed)
        #expect(try await status("P3") == .cancelled)
        #expect(try await ingest(.standard, "unknown_type_ignored").outcome == .ignored)

        #expect(try await status("P2") == .completed)
        #expect(try await status("P4") == .completed)

        // Ledger rows: 3 October USD payments + 1 November, 2 USD refunds + 1 chargeback;
        // 2 EUR payments, 1 refund, 1 chargeback.
        let rows = try await counts()
        #expect(rows["payments"] == 6)
        #expect(rows["reversals"] == 5)
        #expect(rows["ledger_transactions"] == 11)
        #expect(rows["webhook_events"] == 20)
        #expect(try await app.operations.verify().breaches == [])

        let october = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        let octUSD = try #require(october.currencies.first { $0.currency == "USD" })
        var receipts = MonthlyReport.Receipts()
        receipts.payments = 3
        receipts.gross = 5000  // P1 10.00 + P2 25.00 + P4 15.00
        receipts.oneOff = 4000
        receipts.monthly = 1000
        receipts.refunds = 2000  // P2 5.00 + P4 15.00
        receipts.net = 3000
        receipts.payingSupporters = 3
        #expect(octUSD.receipts == receipts)
        #expect(octUSD.pledges.createdMonthly == 1)
        #expect(octUSD.pledges.createdOneOff == 2)
        #expect(octUSD.pledges.activated == 1)
        #expect(
            octUSD.mrr
                == MRRMovement(start: 0, new: 1000, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 1000)
        )
        #expect(octUSD.arr == 12000)
        let octEUR = try #require(october.currencies.first { $0.currency == "EUR" })
        #expect(octEUR.receipts.gross == 500)
        #expect(octEUR.receipts.refunds == 200)
        #expect(octEUR.receipts.fees == 20)
        #expect(octEUR.receipts.net == 280)
        #expect(
            octEUR.mrr
                == MRRMovement(start: 0, new: 500, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 500))

        let november = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt)
        let novUSD = try #require(november.currencies.first { $0.currency == "USD" })
        receipts = MonthlyReport.Receipts()
        receipts.payments = 1
        receipts.gross = 1000  // the 2025-shape invoice
        receipts.monthly = 1000
        receipts.chargebacks = 1000
        receipts.fees = 1500  // the dispute fee
        receipts.net = -1500
        receipts.payingSupporters = 1
        #expect(novUSD.receipts == receipts)
        #expect(novUSD.pledges.upgraded == 1)
        #expect(novUSD.pledges.cancelled == 1)
        // 10.00 at the start; upgraded to 15.00 on 11-05 but gone by the end: churned counts what it had at the start.
        #expect(
            novUSD.mrr
                == MRRMovement(start: 1000, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 1000, end: 0)
        )
        let novEUR = try #require(november.currencies.first { $0.currency == "EUR" })
        #expect(novEUR.receipts.gross == 500)
        #expect(novEUR.receipts.chargebacks == 500)
        #expect(novEUR.receipts.fees == 1020)
        #expect(novEUR.receipts.net == -1020)
        #expect(novEUR.pledges.cancelled == 1)
        #expect(
            novEUR.mrr
                == MRRMovement(start: 500, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 500, end: 0))
    }

    @Test("invoice.paid and invoice.payment_succeeded about the same money book it once")
    func siblingInvoiceEvents() async throws {
        try await ingest(.stripe, "checkout_session_completed_subscription")
        #expect(try await ingest(.stripe, "invoice_paid").outcome == .processed)
        let sibling = try await ingest(.stripe, "invoice_payment_succeeded")
        #expect(sibling.outcome == .processed)
        #expect(sibling.detail?.contains("already booked") == true)
        #expect(try await counts()["payments"] == 1)
    }

    @Test("A duplicate delivery changes nothing and is still accepted")
    func duplicate() async throws {
        try await ingest(.stripe, "checkout_session_completed_payment")
        let before = try await counts()
        let again = try await ingest(.stripe, "checkout_session_completed_payment")
        #expect(again.outcome == .duplicate)
        #expect(again.outcome.isAccepted)
        #expect(try await counts() == before)
    }

    @Test("Forged, stale and future deliveries are rejected and leave every table's row count unchanged")
    func rejected() async throws {
        let body = try fixture(.stripe, "checkout_session_completed_payment")
        let before = try await counts()
        let forged = try await app.webhooks.ingest(try delivery(.stripe, body, secret: "whsec_attacker"))
        #expect(forged.outcome == .rejected)
        #expect(forged.error?.code == "no_matching_signature")
        let stale = try await app.webhooks.ingest(try delivery(.stripe, body, age: 301))
        #expect(stale.error?.code == "timestamp_out_of_tolerance")
        let future = try await app.webhooks.ingest(try delivery(.stripe, body, age: -301))
        #expect(future.error?.code == "timestamp_out_of_tolerance")
        var tampered = try delivery(.stripe, body)
        tampered.body[tampered.body.count / 2] ^= 0x01
        #expect(try await app.webhooks.ingest(tampered).outcome == .rejected)
        let unsigned = WebhookDelivery(provider: .stripe, headers: [], body: body)
        #expect(try await app.webhooks.ingest(unsigned).error?.code == "missing_header")
        let ownForged = try await app.webhooks.ingest(
            try delivery(
                .standard, try fixture(.standard, "payment_succeeded"), secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            ))
        #expect(ownForged.outcome == .rejected)
        #expect(try await counts() == before)
        // The rotated-in secret is accepted too.
        let rotated = try await app.webhooks.ingest(try delivery(.stripe, body, secret: "whsec_new_rotated"))
        #expect(rotated.outcome == .processed)
    }

    @Test("A verified body Pledger cannot read is refused, naming the field, and stores nothing")
    func unreadable() async throws {
        let before = try await counts()
        let body = Array(
            #"{"id": "evt_x", "type": "invoice.paid", "created": 1790000000, "data": {"object": {"id": "in_x", "currency": "usd", "subscription": "sub_x"}}}"#
                .utf8)
        await #expect {
            try await app.webhooks.ingest(try delivery(.stripe, body))
        } throws: { ($0 as? PledgerError)?.field == "data.object.amount_paid" }
        #expect(try await counts() == before)
    }

    @Test("An event for an unknown subscription is stored as unmatched and can be replayed once the pledge is linked")
    func unmatchedThenReplayed() async throws {
        let paid = try await ingest(.stripe, "invoice_paid")
        #expect(paid.outcome == .unmatched)
        #expect(try await counts()["payments"] == 0)
        try await ingest(.stripe, "checkout_session_completed_subscription")
        let replay = try await app.webhooks.replay(eventID: "evt_1QinvPaid000000000000001")
        #expect(replay.outcome == .processed)
        #expect(try await status("P1") == .active)
        #expect(try await counts()["payments"] == 1)
    }
}
