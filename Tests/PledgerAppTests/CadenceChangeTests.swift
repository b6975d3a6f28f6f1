import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// A recurring pledge moved between monthly and annual: asked for from the supporter's page,
/// confirmed by the processor's webhook, kept as dated history, and weighed right in MRR.
@Suite("Cadence changes, end to end")
struct CadenceChangeTests {
    static let stripeSecret = "whsec_test_cadence_secret"
    static let now = instant("2026-11-25T00:00:00Z")

    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() async throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(stripeSecrets: [Self.stripeSecret])
        config.publicURL = BoxTesting.publicURL
        ledger = try TemporaryLedger(now: Self.now, config: config)
    }

    /// A monthly 10.00 USD pledge paid on `paid`, with Stripe subscription `sub_cadence_1` linked.
    func paidMonthly(_ email: String, paid: String) async throws -> Pledge {
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: email, amount: usd("10.00"), cadence: .monthly, processor: "stripe",
                processorRef: "sub_cadence_1", at: instant(paid)))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("10.00"), processor: "stripe", externalID: "pi_\(email.prefix(4))",
                at: instant(paid)))
        return try await app.pledges.pledge(id: pledge.id)
    }

    /// A signed Stripe `customer.subscription.updated` for `pledge` with one price of `unitAmount`
    /// cents billed every `intervalCount` `interval`.
    func subscriptionUpdated(
        _ pledge: Pledge, id: String, at: String, unitAmount: Int, interval: String, intervalCount: Int = 1
    ) -> WebhookDelivery {
        let created = Int64(instant(at).timeIntervalSince1970)
        let body = Array(
            """
            {"id": "\(id)", "object": "event", "type": "customer.subscription.updated", "created": \(created),
             "data": {"object": {"id": "sub_cadence_1", "object": "subscription", "status": "active",
               "pause_collection": null,
               "items": {"data": [{"quantity": 1, "price": {"currency": "usd", "unit_amount": \(unitAmount),
                 "recurring": {"interval": "\(interval)", "interval_count": \(intervalCount)}}}]},
               "metadata": {"pledge_id": "\(pledge.id)"}}}}
            """.utf8)
        let signature = StripeSignatureScheme.sign(
            body: body, secret: Self.stripeSecret, timestamp: Int64(Self.now.timeIntervalSince1970) - 5)
        return WebhookDelivery(provider: .stripe, headers: [("Stripe-Signature", signature)], body: body)
    }

    func usdFigures(_ month: ReportMonth) async throws -> MonthlyReport.CurrencyFigures {
        let report = try await app.reports.monthly(month: month, trend: false)
        return try #require(report.currencies.first { $0.currency == "USD" })
    }

    @Test(
        "Monthly 10.00 asked to become annual 100.00 from the page; Stripe's yearly price confirms it; MRR contracts by 1.67"
    )
    func pageRequestConfirmedByStripe() async throws {
        let pledge = try await paidMonthly("yearly@example.org", paid: "2026-10-05T00:00:00Z")
        let page = try await SupporterPageTesting.open(app, email: "yearly@example.org")
        let token = page.token
        _ = try await app.supporters.request(
            token: token, csrf: page.csrf, pledgeID: pledge.id, .change(amount: usd("100.00"), cadence: .annual))
        guard case .success(let asked) = try await app.supporters.page(token: token) else {
            Issue.record("the page did not open")
            return
        }
        #expect(asked.requests.count == 1, "shown as requested until the processor confirms")

        let update = subscriptionUpdated(
            pledge, id: "evt_cadence_1", at: "2026-11-05T00:00:00Z", unitAmount: 10_000, interval: "year")
        let result = try await app.webhooks.ingest(update)
        #expect(result.outcome == .processed)
        #expect(result.detail?.contains("cadence changed from monthly to annual") == true)
        let changed = try await app.pledges.pledge(id: pledge.id)
        #expect(changed.cadence == .annual && changed.amount == usd("100.00") && changed.status == .active)
        // Renewals run yearly from the change, not from the first monthly payment.
        #expect(changed.cadenceSince == instant("2026-11-05T00:00:00Z"))
        #expect(changed.nextDue(after: Self.now) == instant("2027-11-05T00:00:00Z"))
        guard case .success(let after) = try await app.supporters.page(token: token) else {
            Issue.record("the page did not open")
            return
        }
        #expect(after.requests.isEmpty, "the change request is confirmed, so no longer shown as requested")

        // November: 10.00 at the start, 100.00 / 12 = 8.33 at the end, a contraction of 1.67, balanced.
        let november = try await usdFigures(ReportMonth(year: 2026, month: 11))
        #expect(november.mrr.start == 1000)
        #expect(november.mrr.contraction == 167)
        #expect(november.mrr.expansion == 0 && november.mrr.churned == 0 && november.mrr.new == 0)
        #expect(november.mrr.end == 833)
        #expect(november.mrr.isBalanced)
        #expect(november.pledges.downgraded == 1 && november.pledges.upgraded == 0)
        #expect(november.supporters.contracted == 1)
        // October is untouched by a change dated after it: the monthly 10.00 counted whole.
        let october = try await usdFigures(ReportMonth(year: 2026, month: 10))
        #expect(october.mrr.end == 1000)

        // Announced once, with the cadence it left.
        let events = try await app.events.list(limit: 100).filter { $0.type == .pledgeAmountChanged }
        #expect(events.count == 1)
        #expect(events.first?.body.contains(#""previous_cadence":"monthly""#) == true)
        #expect(events.first?.body.contains(#""cadence":"annual""#) == true)
        #expect(try await app.operations.verify().holds)

        // A redelivery changes nothing; the same terms sent again under a new id do nothing either.
        #expect(try await app.webhooks.ingest(update).outcome == .duplicate)
        let again = subscriptionUpdated(
            pledge, id: "evt_cadence_2", at: "2026-11-06T00:00:00Z", unitAmount: 10_000, interval: "year")
        let same = try await app.webhooks.ingest(again)
        #expect(same.outcome == .processed && same.detail?.contains("nothing to do") == true)
        #expect(try await usdFigures(ReportMonth(year: 2026, month: 11)) == november)
        #expect(try await app.events.list(limit: 100).filter { $0.type == .pledgeAmountChanged }.count == 1)
        #expect(try await app.operations.verify().holds)
    }

    @Test(
        "A cadence-only request is confirmed by the cadence change; an interval Pledger has no cadence for is left, and said"
    )
    func cadenceOnlyAndUnknownInterval() async throws {
        let pledge = try await paidMonthly("quarter@example.org", paid: "2026-10-05T00:00:00Z")
        let page = try await SupporterPageTesting.open(app, email: "quarter@example.org")
        let token = page.token
        _ = try await app.supporters.request(
            token: token, csrf: page.csrf, pledgeID: pledge.id, .change(amount: nil, cadence: .annual))

        // Every 3 months: no cadence for it; the amount still changes, and the detail says why.
        let quarterly = subscriptionUpdated(
            pledge, id: "evt_quarter", at: "2026-11-02T00:00:00Z", unitAmount: 1_200, interval: "month",
            intervalCount: 3)
        let result = try await app.webhooks.ingest(quarterly)
        #expect(result.outcome == .processed)
        #expect(result.detail?.contains("cadence left monthly") == true)
        #expect(result.detail?.contains("3 month") == true)
        var current = try await app.pledges.pledge(id: pledge.id)
        #expect(current.cadence == .monthly && current.amount == usd("12.00"))
        guard case .success(let waiting) = try await app.supporters.page(token: token) else {
            Issue.record("the page did not open")
            return
        }
        #expect(waiting.requests.count == 1, "an amount change is not the cadence asked for")

        // Yearly at the same 12.00: the cadence the supporter asked for; confirmed.
        let yearly = subscriptionUpdated(
            pledge, id: "evt_yearly", at: "2026-11-10T00:00:00Z", unitAmount: 1_200, interval: "year")
        #expect(try await app.webhooks.ingest(yearly).outcome == .processed)
        current = try await app.pledges.pledge(id: pledge.id)
        #expect(current.cadence == .annual && current.amount == usd("12.00"))
        guard case .success(let done) = try await app.supporters.page(token: token) else {
            Issue.record("the page did not open")
            return
        }
        #expect(done.requests.isEmpty)
        let november = try await usdFigures(ReportMonth(year: 2026, month: 11))
        #expect(november.mrr.start == 1000 && november.mrr.end == 100)  // 12.00 a year is 1.00 a month
        #expect(november.mrr.isBalanced)
        #expect(november.pledges.upgraded == 1 && november.pledges.downgraded == 1)
        #expect(try await app.operations.verify().holds)
    }

    @Test("By hand: change-amount with a cadence; refusals name the field and change nothing")
    func byHand() async throws {
        let pledge = try await paidMonthly("desk@example.org", paid: "2026-10-05T00:00:00Z")
        let annual = try await app.pledges.changeTerms(
            id: pledge.id, amount: nil, cadence: .annual, at: instant("2026-11-05T00:00:00Z"))
        #expect(annual.cadence == .annual && annual.amount == usd("10.00"))
        await #expect {
            try await app.pledges.changeTerms(id: pledge.id, amount: nil, cadence: .oneOff)
        } throws: {
            ($0 as? PledgerError)?.field == "cadence"
        }
        await #expect {
            try await app.pledges.changeTerms(id: pledge.id, amount: usd("10.00"), cadence: .annual)
        } throws: {
            ($0 as? PledgerError)?.code == "amount_unchanged"
        }
        await #expect { try await app.pledges.changeTerms(id: pledge.id, amount: nil, cadence: nil) } throws: {
            ($0 as? PledgerError)?.field == "amount"
        }
        await #expect {
            try await app.pledges.changeTerms(id: pledge.id, amount: usd("1.00"), cadence: .monthly)
        } throws: {
            ($0 as? PledgerError)?.field == "amount"
        }
        let gift = try await app.pledges.record(
            PledgeRequest(email: "gift@example.org", amount: usd("5.00"), cadence: .oneOff))
        await #expect { try await app.pledges.changeTerms(id: gift.id, amount: nil, cadence: .monthly) } throws: {
            ($0 as? PledgerError)?.field == "cadence"
        }
        #expect(try await app.pledges.pledge(id: gift.id).cadence == .oneOff)
        #expect(try await app.pledges.pledge(id: pledge.id).cadence == .annual)
        let november = try await usdFigures(ReportMonth(year: 2026, month: 11))
        #expect(november.mrr.start == 1000 && november.mrr.end == 83 && november.mrr.isBalanced)
        #expect(try await app.operations.verify().holds)
        // A cadence edited behind Pledger's back no longer matches the history MRR reads.
        try ledger.executeRawSQL("UPDATE pledges SET cadence = 'monthly' WHERE id = '\(pledge.id)'")
        let breaches = try await app.operations.verify().breaches
        #expect(breaches.contains { $0.contains("pledge \(pledge.id)") && $0.contains("cadence") })
    }
}
