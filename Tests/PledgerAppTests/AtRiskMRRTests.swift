import Foundation
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// MRR at risk: the part of MRR owed by past-due pledges, which a failed renewal reported
/// through the webhook endpoint puts there.
///
/// The cast (USD):
/// - Gus: monthly 12.00 paid 10-02; renewal fails 11-02 (past due); paid 12-03 (active again).
/// - Hal: annual 100.00 paid 10-05; renewal fails 11-20 and never recovers.
/// - Ida: monthly 7.00 paid 10-06; fails 11-06; cancelled 11-25 while past due.
@Suite("MRR at risk")
struct AtRiskMRRTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let now = instant("2027-01-15T00:00:00Z")
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() async throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(standardSecrets: [Self.secret])
        ledger = try TemporaryLedger(now: Self.now, config: config)
        let gus = try await pledge("gus@example.org", "12.00", .monthly, paid: "2026-10-02T10:00:00Z", id: "pi_gus_1")
        let hal = try await pledge("hal@example.org", "100.00", .annual, paid: "2026-10-05T10:00:00Z", id: "pi_hal_1")
        let ida = try await pledge("ida@example.org", "7.00", .monthly, paid: "2026-10-06T10:00:00Z", id: "pi_ida_1")
        try await failRenewal(gus, at: "2026-11-02T10:00:00Z")
        try await failRenewal(ida, at: "2026-11-06T10:00:00Z")
        try await failRenewal(hal, at: "2026-11-20T10:00:00Z")
        _ = try await app.pledges.cancel(id: ida.id, at: instant("2026-11-25T00:00:00Z"))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: gus.id, amount: usd("12.00"), processor: "stripe", externalID: "pi_gus_2",
                at: instant("2026-12-03T10:00:00Z")))
    }

    private func pledge(_ email: String, _ amount: String, _ cadence: Cadence, paid: String, id: String) async throws
        -> Pledge
    {
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: email, amount: usd(amount), cadence: cadence, at: instant(paid).addingTimeInterval(-60)))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge.id, amount: usd(amount), processor: "stripe", externalID: id, at: instant(paid)))
        return pledge
    }

    /// A signed `pledge.payment_failed` event, as the publisher's gateway would send it.
    private func failRenewal(_ pledge: Pledge, at: String) async throws {
        let body = Array(
            #"{"type": "pledge.payment_failed", "data": {"pledge_id": "\#(pledge.id)", "occurred_at": "\#(at)"}}"#.utf8)
        let id = "msg_fail_\(pledge.id)"
        let timestamp = Int64(Self.now.timeIntervalSince1970)
        let signature = try StandardWebhooksScheme.sign(id: id, timestamp: timestamp, body: body, secret: Self.secret)
        let result = try await app.webhooks.ingest(
            WebhookDelivery(
                provider: .standard,
                headers: [("webhook-id", id), ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", signature)],
                body: body))
        #expect(result.outcome == .processed)
    }

    @Test("Past-due pledges' MRR at each month's end, summed in twelfths and rounded once")
    func atRisk() async throws {
        let range = try await app.reports.range(from: .init(year: 2026, month: 10), to: .init(year: 2026, month: 12))
        let usd = range.months.map { $0.figures("USD") }
        // October's end: all three paid and current. MRR 12.00 + 100.00/12 + 7.00 in twelfths:
        // 14400 + 10000 + 8400 = 32800 → 2733.33… → 27.33.
        #expect(usd[0].mrr.end == 2733)
        #expect((usd[0].mrrAtRisk, usd[0].pastDuePledges) == (0, 0))
        // November's end: Gus and Hal past due (Ida's cancelled pledge no longer counts at all):
        // 14400 + 10000 = 24400 twelfths → 2033.33… → 20.33, which is all of MRR.
        #expect(
            usd[1].mrr
                == MRRMovement(
                    start: 2733, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 700, end: 2033))
        #expect((usd[1].mrrAtRisk, usd[1].pastDuePledges) == (2033, 2))
        // December's end: Gus paid again; Hal's 10000 twelfths → 833.33… → 8.33.
        #expect((usd[2].mrrAtRisk, usd[2].pastDuePledges) == (833, 1))
        #expect(usd[2].mrr.end == 2033)

        // November on its own: Gus recovered only after it (December 3), Hal is past due still.
        let november = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt, trend: false)
        #expect(november.figures.figures("USD") == usd[1])

        let december = try await app.reports.monthly(month: .init(year: 2026, month: 12), timeZone: .gmt)
        #expect(december.figures.figures("USD") == usd[2])
        // 8.33 vs 20.33: −12.00 = −59.03% of 20.33 → −59.0%; the fall is good news.
        let line = try #require(
            december.rendered(as: .table).split(separator: "\n").first { $0.contains("at risk (past due)") })
        #expect(line.split(separator: " ").suffix(4) == ["8.33", "20.33", "\u{2212}12.00", "\u{2212}59.0%"])
        #expect(december.rendered(as: .table, colour: true).contains("\u{1B}[32m\u{2212}12.00\u{1B}[0m"))
        let json = december.rendered(as: .json)
        #expect(json.contains("\"mrr_at_risk\" : 833"))
        #expect(json.contains("\"past_due_pledges\" : 1"))
    }
}
