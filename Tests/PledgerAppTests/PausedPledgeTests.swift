import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// A pledge paused and resumed the ways a publisher meets it: by the membership desk, by the
/// processor's webhook (Stripe's `pause_collection`, the gateway's own `pledge.paused`), by the jobs
/// at the pause's planned end, and from the supporter's page; and what the monthly report makes of it.
@Suite("Paused pledges, end to end")
struct PausedPledgeTests {
    static let stripeSecret = "whsec_test_pause_secret"
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let now = instant("2026-11-25T00:00:00Z")

    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() async throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(stripeSecrets: [Self.stripeSecret], standardSecrets: [Self.standardSecret])
        // The supporter's page links need the address readers reach the server at.
        config.publicURL = BoxTesting.publicURL
        ledger = try TemporaryLedger(now: Self.now, config: config)
    }

    /// A monthly 10.00 USD pledge paid on `paid`, with a Stripe subscription `sub` linked.
    func paidMonthly(_ email: String, paid: String, sub: String = "sub_pause_1") async throws -> Pledge {
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: email, amount: usd("10.00"), cadence: .monthly, processor: "stripe", processorRef: sub,
                at: instant(paid)))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("10.00"), processor: "stripe", externalID: "pi_\(email.prefix(4))",
                at: instant(paid)))
        return try await app.pledges.pledge(id: pledge.id)
    }

    /// A signed Stripe `customer.subscription.updated` for `pledge`, created at `at`; `previous` is
    /// its `previous_attributes` (what changed), by default the pause.
    func subscriptionUpdated(
        _ pledge: Pledge, id: String, at: String, pauseCollection: String,
        previous: String = #"{"pause_collection": null}"#
    ) throws -> WebhookDelivery {
        let created = Int64(instant(at).timeIntervalSince1970)
        let body = Array(
            """
            {"id": "\(id)", "object": "event", "type": "customer.subscription.updated", "created": \(created),
             "data": {"object": {"id": "sub_pause_1", "object": "subscription", "status": "active",
               "pause_collection": \(pauseCollection),
               "items": {"data": [{"quantity": 1, "price": {"currency": "usd", "unit_amount": 1000}}]},
               "metadata": {"pledge_id": "\(pledge.id)"}},
             "previous_attributes": \(previous)}}
            """.utf8)
        let signature = StripeSignatureScheme.sign(
            body: body, secret: Self.stripeSecret, timestamp: Int64(Self.now.timeIntervalSince1970) - 5)
        return WebhookDelivery(provider: .stripe, headers: [("Stripe-Signature", signature)], body: body)
    }

    func usdFigures(_ month: ReportMonth) async throws -> MonthlyReport.CurrencyFigures {
        let report = try await app.reports.monthly(month: month, trend: false)
        return try #require(report.currencies.first { $0.currency == "USD" })
    }

    @Test("Paused by the desk for two months: no MRR, no renewal, − paused not churn; the jobs resume it at the end")
    func deskPauseAndJobResume() async throws {
        let pledge = try await paidMonthly("desk@example.org", paid: "2026-06-05T00:00:00Z")
        let paused = try await app.pledges.pause(
            id: pledge.id, length: .months(2), at: instant("2026-07-10T00:00:00Z"))
        #expect(paused.status == .paused)
        #expect(paused.resumesAt == instant("2026-09-10T00:00:00Z"))
        #expect(paused.nextDue(after: instant("2026-08-01T00:00:00Z")) == nil)

        // July: the supporter's 10.00 paused, nothing churned, and the identity holds.
        let july = try await usdFigures(ReportMonth(year: 2026, month: 7))
        #expect(july.mrr.start == 1000)
        #expect(july.mrr.paused == 1000)
        #expect(july.mrr.churned == 0)
        #expect(july.mrr.end == 0)
        #expect(july.mrr.isBalanced)
        #expect(july.supporters.paused == 1 && july.supporters.churned == 0)

        // The jobs, run late, resume it dated at its planned end.
        let run = try await app.jobs.run(at: instant("2026-09-12T00:00:00Z"))
        #expect(run.pledgesResumed == 1)
        #expect(try await app.jobs.run(at: instant("2026-09-13T00:00:00Z")).pledgesResumed == 0)
        let resumed = try await app.pledges.pledge(id: pledge.id)
        #expect(resumed.status == .active && resumed.resumesAt == nil)
        let september = try await usdFigures(ReportMonth(year: 2026, month: 9))
        #expect(september.mrr.start == 0 && september.mrr.resumed == 1000 && september.mrr.end == 1000)
        #expect(september.mrr.reactivated == 0 && september.mrr.new == 0)
        #expect(september.mrr.isBalanced)
        let august = try await usdFigures(ReportMonth(year: 2026, month: 8))
        #expect(august.mrr.start == 0 && august.mrr.end == 0)

        // Announced once each, the pause with its planned end, the resumption dated at that end.
        let events = try await app.events.list(limit: 100)
        let pauseEvent = try #require(events.first { $0.type == .pledgePaused })
        #expect(pauseEvent.body.contains(#""resumes_at":"2026-09-10T00:00:00Z""#))
        let resumeEvent = try #require(events.first { $0.type == .pledgeResumed })
        #expect(resumeEvent.occurredAt == instant("2026-09-10T00:00:00Z"))
        #expect(resumeEvent.body.contains(#""previous_status":"paused""#))
        #expect(events.filter { $0.type == .pledgeResumed }.count == 1)
        #expect(try await app.operations.verify().holds)
    }

    @Test(
        "Stripe's pause_collection pauses, its clearing resumes; a redelivery changes nothing; the page's request is confirmed"
    )
    func stripePauseCollection() async throws {
        let pledge = try await paidMonthly("stripe@example.org", paid: "2026-06-05T00:00:00Z")
        // The supporter asks from their page; until Stripe says so the pledge stays active.
        let page = try await SupporterPageTesting.open(app, email: "stripe@example.org")
        let token = page.token
        _ = try await app.supporters.request(token: token, csrf: page.csrf, pledgeID: pledge.id, .pause(months: 1))
        #expect(try await app.pledges.pledge(id: pledge.id).status == .active)

        let resumesAt = Int64(instant("2026-08-20T00:00:00Z").timeIntervalSince1970)
        let pause = try subscriptionUpdated(
            pledge, id: "evt_pause_1", at: "2026-07-20T00:00:00Z",
            pauseCollection: #"{"behavior": "void", "resumes_at": \#(resumesAt)}"#)
        #expect(try await app.webhooks.ingest(pause).outcome == .processed)
        #expect(try await app.webhooks.ingest(pause).outcome == .duplicate)
        let paused = try await app.pledges.pledge(id: pledge.id)
        #expect(paused.status == .paused)
        #expect(paused.resumesAt == instant("2026-08-20T00:00:00Z"))
        guard case .success(let after) = try await app.supporters.page(token: token) else {
            Issue.record("the page did not open")
            return
        }
        #expect(after.requests.isEmpty, "the pause request is confirmed, so no longer shown as requested")
        #expect(SupporterRequest.allowedKinds(for: paused).contains("resume"))

        // Resumed early by Stripe: pause_collection cleared.
        let resume = try subscriptionUpdated(
            pledge, id: "evt_resume_1", at: "2026-08-02T00:00:00Z", pauseCollection: "null")
        let result = try await app.webhooks.ingest(resume)
        #expect(result.outcome == .processed && result.detail?.contains("resumed") == true)
        #expect(try await app.pledges.pledge(id: pledge.id).status == .active)
        // The jobs find nothing to resume: the plan went with the resumption.
        #expect(try await app.jobs.run(at: instant("2026-08-21T00:00:00Z")).pledgesResumed == 0)
        let august = try await usdFigures(ReportMonth(year: 2026, month: 8))
        #expect(august.mrr.resumed == 1000 && august.mrr.end == 1000 && august.mrr.isBalanced)
        #expect(try await app.operations.verify().holds)
    }

    @Test("Cancelled while paused: the MRR left at the pause, so the cancellation churns nothing more")
    func cancelledWhilePaused() async throws {
        let pledge = try await paidMonthly("quits@example.org", paid: "2026-06-05T00:00:00Z")
        _ = try await app.pledges.pause(id: pledge.id, length: nil, at: instant("2026-07-10T00:00:00Z"))
        let cancelled = try await app.pledges.cancel(id: pledge.id, at: instant("2026-08-10T00:00:00Z"))
        #expect(cancelled.status == .cancelled && cancelled.resumesAt == nil)
        let august = try await usdFigures(ReportMonth(year: 2026, month: 8))
        #expect(august.mrr.start == 0 && august.mrr.churned == 0 && august.mrr.end == 0)
        #expect(august.pledges.cancelled == 1)
        #expect(try await app.operations.verify().holds)
    }

    @Test("Refusals name the field and change nothing")
    func refusals() async throws {
        let pledge = try await paidMonthly("rules@example.org", paid: "2026-06-05T00:00:00Z")
        await #expect { try await app.pledges.resume(id: pledge.id) } throws: {
            ($0 as? PledgerError)?.code == "invalid_transition"
        }
        await #expect {
            try await app.pledges.pause(
                id: pledge.id, length: .until(instant("2026-07-01T00:00:00Z")), at: instant("2026-07-10T00:00:00Z"))
        } throws: {
            ($0 as? PledgerError)?.field == "resumes_at"
        }
        await #expect { try await app.pledges.pause(id: pledge.id, length: .months(4)) } throws: {
            ($0 as? PledgerError)?.field == "months"
        }
        let gift = try await app.pledges.record(
            PledgeRequest(email: "gift@example.org", amount: usd("5.00"), cadence: .oneOff))
        await #expect { try await app.pledges.pause(id: gift.id, length: nil) } throws: {
            ($0 as? PledgerError)?.code == "invalid_transition"
        }
        #expect(try await app.pledges.pledge(id: pledge.id).status == .active)
        #expect(try await app.events.list(limit: 100).allSatisfy { $0.type != .pledgePaused })
    }

    @Test("verify holds the pauses to the status moves they were written from")
    func verifyChecksPauses() async throws {
        let pledge = try await paidMonthly("checked@example.org", paid: "2026-06-05T00:00:00Z")
        _ = try await app.pledges.pause(id: pledge.id, length: nil, at: instant("2026-07-10T00:00:00Z"))
        #expect(try await app.operations.verify().holds)
        // A pause edited behind Pledger's back: MRR would read a different history.
        try ledger.executeRawSQL("UPDATE pledge_pauses SET paused_at = paused_at + 86400000")
        let breaches = try await app.operations.verify().breaches
        #expect(breaches.contains { $0.contains("pledge \(pledge.id)") && $0.contains("pauses") })
    }

    /// A signed event of Pledger's own schema, from the publisher's gateway.
    func ownEvent(_ id: String, _ json: String) throws -> WebhookDelivery {
        let body = Array(json.utf8)
        let timestamp = Int64(Self.now.timeIntervalSince1970) - 5
        let signature = try StandardWebhooksScheme.sign(
            id: id, timestamp: timestamp, body: body, secret: Self.standardSecret)
        return WebhookDelivery(
            provider: .standard,
            headers: [("webhook-id", id), ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", signature)],
            body: body)
    }

    @Test("The gateway's own pledge.paused and pledge.resumed; a bad resumes_at is refused naming the field")
    func gatewayEvents() async throws {
        let pledge = try await paidMonthly("gateway@example.org", paid: "2026-06-05T00:00:00Z")
        let bad = try ownEvent(
            "msg_bad",
            #"{"type": "pledge.paused", "data": {"pledge_id": "\#(pledge.id)", "occurred_at": "2026-07-01T00:00:00Z", "resumes_at": "soon"}}"#
        )
        await #expect { try await app.webhooks.ingest(bad) } throws: { error in
            "\(error)".contains("resumes_at")
        }
        #expect(try await app.pledges.pledge(id: pledge.id).status == .active)
        let pause = try ownEvent(
            "msg_pause",
            #"{"type": "pledge.paused", "data": {"pledge_id": "\#(pledge.id)", "occurred_at": "2026-07-01T00:00:00Z", "resumes_at": "2026-10-01T00:00:00Z"}}"#
        )
        #expect(try await app.webhooks.ingest(pause).outcome == .processed)
        #expect(try await app.pledges.pledge(id: pledge.id).resumesAt == instant("2026-10-01T00:00:00Z"))
        let resume = try ownEvent(
            "msg_resume",
            #"{"type": "pledge.resumed", "data": {"pledge_id": "\#(pledge.id)", "occurred_at": "2026-08-15T00:00:00Z"}}"#
        )
        #expect(try await app.webhooks.ingest(resume).outcome == .processed)
        let resumed = try await app.pledges.pledge(id: pledge.id)
        #expect(resumed.status == .active && resumed.resumesAt == nil)
        let august = try await usdFigures(ReportMonth(year: 2026, month: 8))
        #expect(august.mrr.resumed == 1000 && august.mrr.isBalanced)
        // Resumed again: nothing to do, said so.
        let again = try ownEvent(
            "msg_resume_2",
            #"{"type": "pledge.resumed", "data": {"pledge_id": "\#(pledge.id)", "occurred_at": "2026-08-16T00:00:00Z"}}"#
        )
        let result = try await app.webhooks.ingest(again)
        #expect(result.outcome == .processed && result.detail?.contains("nothing to do") == true)
    }

    @Test(
        "An update that does not change the pause leaves a desk pause alone; an older word on the pause is not applied over a newer one"
    )
    func staleAndUnrelatedUpdates() async throws {
        let pledge = try await paidMonthly("order@example.org", paid: "2026-06-05T00:00:00Z")
        _ = try await app.pledges.pause(id: pledge.id, length: nil, at: instant("2026-07-10T00:00:00Z"))
        // A new period (not the pause) changed: Stripe says nothing of the pause, so it stands.
        let period = try subscriptionUpdated(
            pledge, id: "evt_period", at: "2026-07-15T00:00:00Z", pauseCollection: "null",
            previous: #"{"current_period_end": 1780000000}"#)
        #expect(try await app.webhooks.ingest(period).outcome == .processed)
        #expect(try await app.pledges.pledge(id: pledge.id).status == .paused)
        // An old resumption from before the desk's pause, delivered late: left out, and said so.
        let late = try subscriptionUpdated(
            pledge, id: "evt_late", at: "2026-07-01T00:00:00Z", pauseCollection: "null",
            previous: #"{"pause_collection": {"behavior": "void", "resumes_at": null}}"#)
        let lateResult = try await app.webhooks.ingest(late)
        #expect(lateResult.detail?.contains("older than the pledge's latest move") == true, "\(lateResult)")
        #expect(try await app.pledges.pledge(id: pledge.id).status == .paused)

        // Out of order on another pledge: Stripe resumed (T2) before the pause (T1) reached us.
        let other = try await paidMonthly("other@example.org", paid: "2026-06-06T00:00:00Z", sub: "sub_pause_2")
        let resumedT2 = try subscriptionUpdated(
            other, id: "evt_t2", at: "2026-08-20T00:00:00Z", pauseCollection: "null",
            previous: #"{"pause_collection": {"behavior": "void", "resumes_at": null}}"#)
        let pausedT1 = try subscriptionUpdated(
            other, id: "evt_t1", at: "2026-08-01T00:00:00Z", pauseCollection: #"{"behavior": "void"}"#)
        #expect(try await app.webhooks.ingest(resumedT2).outcome == .processed)
        #expect(try await app.webhooks.ingest(pausedT1).outcome == .processed)
        #expect(try await app.pledges.pledge(id: other.id).status == .active)
        #expect(try await app.operations.verify().holds)
    }

    @Test("verify: a pledge paused, resumed and paused again holds; its pauses agree with its moves")
    func pausedTwice() async throws {
        let pledge = try await paidMonthly("twice@example.org", paid: "2026-06-05T00:00:00Z")
        _ = try await app.pledges.pause(id: pledge.id, length: nil, at: instant("2026-07-10T00:00:00Z"))
        _ = try await app.pledges.resume(id: pledge.id, at: instant("2026-08-10T00:00:00Z"))
        _ = try await app.pledges.pause(id: pledge.id, length: nil, at: instant("2026-09-10T00:00:00Z"))
        #expect(try await app.operations.verify().breaches == [])
    }

    @Test(
        "Money for a paused pledge resumes it (the processor collects again); money dated before the pause leaves it paused"
    )
    func paymentResumes() async throws {
        let pledge = try await paidMonthly("money@example.org", paid: "2026-06-05T00:00:00Z")
        _ = try await app.pledges.pause(id: pledge.id, length: .months(3), at: instant("2026-07-10T00:00:00Z"))
        // The July renewal, delivered late: dated before the pause, it says nothing of it.
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("10.00"), processor: "stripe", externalID: "pi_july",
                at: instant("2026-07-05T00:00:00Z")))
        #expect(try await app.pledges.pledge(id: pledge.id).status == .paused)
        // An August renewal: the processor is collecting, so the pledge resumes then.
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd("10.00"), processor: "stripe", externalID: "pi_august",
                at: instant("2026-08-05T00:00:00Z")))
        let resumed = try await app.pledges.pledge(id: pledge.id)
        #expect(resumed.status == .active && resumed.resumesAt == nil)
        let events = try await app.events.list(type: .pledgeResumed, limit: 10)
        #expect(events.map(\.occurredAt) == [instant("2026-08-05T00:00:00Z")])
        let august = try await usdFigures(ReportMonth(year: 2026, month: 8))
        #expect(august.mrr.start == 0 && august.mrr.resumed == 1000 && august.mrr.end == 1000)
        #expect(try await app.jobs.run(at: instant("2026-10-11T00:00:00Z")).pledgesResumed == 0)
        #expect(try await app.operations.verify().holds)
    }
}
