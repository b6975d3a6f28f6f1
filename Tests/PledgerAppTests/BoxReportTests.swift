import Foundation
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// The box funnel of the monthly report and the sources report, from a month of box activity
/// entered through the box's own use cases (checkout, remind me later and its confirmation link,
/// the beacon), payments through the payment service and one through Stripe's webhook. Every
/// expected figure is worked out in the test from what it did, not read back from the store.
@Suite("Box funnel and sources")
struct BoxReportTests {
    let clock = SettableClock(instant("2026-10-30T12:00:00Z"))
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    /// What the test did, per campaign, as the funnel should count it for November 2026 (UTC).
    var expected: [String: BoxFunnel.Counts] = [:]
    /// Per page path, campaign and currency, as the sources report should count November.
    var tallies: [SourcesReport.Tally] = []

    init() async throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(stripeSecrets: [Self.stripeSecret])
        config.box = try BoxConfigurationFile.load(
            path: fixturesDirectory().appending(path: "box/box.toml").path, config: config)
        ledger = try TemporaryLedger(clock: clock.clock, config: config)
        try await enterNovember()
    }

    // MARK: Acting as readers and as the processor

    static let stripeSecret = "whsec_box_report_test"

    /// The processor completing a box checkout paid at once: Stripe's `checkout.session.completed`
    /// naming the pledge in `client_reference_id`, as a Payment Link does, signed and ingested.
    private func completeCheckout(_ pledge: ID<Pledge>, amount: Int64, id: String) async throws {
        let body = Array(
            """
            {"id":"evt_\(id)","object":"event","type":"checkout.session.completed",
             "created":\(Int(clock.now.timeIntervalSince1970)),
             "data":{"object":{"id":"cs_\(id)","object":"checkout.session","mode":"payment",
              "client_reference_id":"\(pledge.rawValue)","metadata":{},"payment_status":"paid",
              "payment_intent":"pi_\(id)","amount_total":\(amount),"currency":"usd",
              "customer_details":{"email":"\(id)@example.org"}}}}
            """.utf8)
        let signature = StripeSignatureScheme.sign(
            body: body, secret: Self.stripeSecret, timestamp: Int64(clock.now.timeIntervalSince1970))
        let result = try await app.webhooks.ingest(
            WebhookDelivery(provider: .stripe, headers: [("Stripe-Signature", signature)], body: body))
        #expect(result.outcome == .processed)
    }

    private func at(_ text: String) { clock.set(instant(text)) }

    private func show(_ campaign: String, _ path: String, _ times: Int, continued: Int = 0) async throws {
        for n in 0..<times {
            try await app.box.count(kind: .shown, campaign: campaign, pageURL: "https://news.example.org\(path)")
            if n < continued {
                try await app.box.count(
                    kind: .continued, campaign: campaign, pageURL: "https://news.example.org\(path)?utm_source=x")
            }
        }
    }

    private func checkout(
        _ campaign: String, _ path: String, _ cadence: Cadence, _ amount: Int64, _ currency: String,
        email: String? = nil
    ) async throws -> ID<Pledge> {
        try await app.box.checkout(
            BoxCheckoutRequest(
                cadence: cadence.rawValue, amount: amount, currency: currency, email: email,
                pageURL: "https://news.example.org\(path)?utm_source=newsletter", referrer: "https://search.example/",
                campaign: campaign, utm: [:], website: nil)
        ).pledgeID
    }

    private func pay(_ pledge: ID<Pledge>, _ amount: Int64, _ currency: Currency, id: String) async throws {
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge, amount: try Money.minor(amount, currency: currency), processor: "stripe",
                externalID: id))
    }

    /// "Remind me later", then the link from the `reminder.confirmation_requested` event when `confirm` is set.
    private func remind(_ email: String, _ campaign: String, _ path: String) async throws -> String {
        try await app.box.requestReminder(
            BoxReminderRequest(
                email: email, pageURL: "https://news.example.org\(path)", referrer: nil, campaign: campaign, utm: [:],
                website: nil))
        let event = try #require(try await app.events.list(type: .reminderConfirmationRequested, limit: 100).last)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(event.body.utf8)) as? [String: Any])
        let data = try #require(body["data"] as? [String: Any])
        let confirmation = try #require(data["confirmation"] as? [String: Any])
        let link = try #require(confirmation["confirm_url"] as? String)
        let url = try #require(URLComponents(string: link))
        return try #require(url.queryItems?.first { $0.name == "token" }?.value)
    }

    private func confirm(_ token: String) async throws {
        guard case .confirmed = try await app.box.confirm(token: token) else {
            Issue.record("the link did not confirm")
            return
        }
    }

    private mutating func expect(_ campaign: String, _ change: (inout BoxFunnel.Counts) -> Void) {
        change(&expected[campaign, default: BoxFunnel.Counts()])
    }

    private mutating func tally(
        _ path: String, _ campaign: String, _ currency: String, pledges: Int64 = 0, twelfths: Int64 = 0,
        receipts: Int64 = 0, payments: Int64 = 0
    ) {
        tallies.append(
            SourcesReport.Tally(
                pagePath: path, campaign: campaign, currency: currency, newPledges: pledges,
                newMRRTwelfths: twelfths, receipts: receipts, payments: payments))
    }

    private mutating func enterNovember() async throws {
        // October: a box pledge made on 10-30 and first paid on 11-01 brings new MRR and receipts to
        // November's sources, but is not one of November's pledged.
        let october = try await checkout("winter", "/news/a", .monthly, 500, "USD")
        try await show("winter", "/news/a", 3, continued: 1)
        at("2026-11-01T09:00:00Z")
        try await pay(october, 500, .usd, id: "ch_oct")
        tally("/news/a", "winter", "USD", twelfths: 12 * 500, receipts: 500, payments: 1)

        // winter on /news/a: shown 5, continued 3; a monthly 5.00 paid, a one-off never paid.
        at("2026-11-02T10:00:00Z")
        try await show("winter", "/news/a", 5, continued: 3)
        expect("winter") {
            $0.shown += 5
            $0.continued += 3
        }
        let monthly = try await checkout("winter", "/news/a", .monthly, 500, "USD")
        at("2026-11-03T10:00:00Z")
        try await pay(monthly, 500, .usd, id: "ch_1")
        expect("winter") {
            $0.pledged += 1
            $0.paid += 1
        }
        tally("/news/a", "winter", "USD", pledges: 1, twelfths: 12 * 500, receipts: 500, payments: 1)
        at("2026-11-06T10:00:00Z")
        _ = try await checkout("winter", "/news/a", .oneOff, 2500, "USD")
        expect("winter") { $0.pledged += 1 }
        tally("/news/a", "winter", "USD", pledges: 1)

        // winter on /news/c: an annual 50.00 (416.67 a month), paid.
        at("2026-11-04T10:00:00Z")
        let annual = try await checkout("winter", "/news/c", .annual, 5000, "USD")
        at("2026-11-05T10:00:00Z")
        try await pay(annual, 5000, .usd, id: "ch_2")
        expect("winter") {
            $0.pledged += 1
            $0.paid += 1
        }
        tally("/news/c", "winter", "USD", pledges: 1, twelfths: 5000, receipts: 5000, payments: 1)

        // winter on /news/c: a one-off 25.00 that the processor's checkout completes (Stripe webhook).
        at("2026-11-05T12:00:00Z")
        let gift = try await checkout("winter", "/news/c", .oneOff, 2500, "USD")
        at("2026-11-05T12:03:00Z")
        try await completeCheckout(gift, amount: 2500, id: "gift")
        expect("winter") {
            $0.pledged += 1
            $0.paid += 1
        }
        tally("/news/c", "winter", "USD", pledges: 1, receipts: 2500, payments: 1)

        // winter on /news/b in euros: shown twice, a monthly 10.00 EUR paid.
        at("2026-11-07T10:00:00Z")
        try await show("winter", "/news/b", 2)
        expect("winter") { $0.shown += 2 }
        let euros = try await checkout("winter", "/news/b", .monthly, 1000, "EUR")
        at("2026-11-08T10:00:00Z")
        try await pay(euros, 1000, .eur, id: "ch_3")
        expect("winter") {
            $0.pledged += 1
            $0.paid += 1
        }
        tally("/news/b", "winter", "EUR", pledges: 1, twelfths: 12 * 1000, receipts: 1000, payments: 1)

        // spring on /news/a: shown 4, continued 1; a monthly 7.00 first paid in December.
        at("2026-11-10T10:00:00Z")
        try await show("spring", "/news/a", 4, continued: 1)
        expect("spring") {
            $0.shown += 4
            $0.continued += 1
        }
        let late = try await checkout("spring", "/news/a", .monthly, 700, "USD")
        expect("spring") { $0.pledged += 1 }
        tally("/news/a", "spring", "USD", pledges: 1)

        // Remind me later three times: one confirmed and converted by a box pledge, one confirmed,
        // one never confirmed (its request is deleted when it expires; the counter stays).
        at("2026-11-11T10:00:00Z")
        let first = try await remind("one@example.org", "spring", "/news/a")
        at("2026-11-12T10:00:00Z")
        try await confirm(first)
        at("2026-11-13T10:00:00Z")
        let converting = try await checkout("spring", "/news/a", .monthly, 500, "USD", email: "one@example.org")
        at("2026-11-14T10:00:00Z")
        try await pay(converting, 500, .usd, id: "ch_4")
        expect("spring") {
            $0.remindLater += 1
            $0.confirmed += 1
            $0.converted += 1
            $0.pledged += 1
            $0.paid += 1
        }
        tally("/news/a", "spring", "USD", pledges: 1, twelfths: 12 * 500, receipts: 500, payments: 1)
        at("2026-11-15T10:00:00Z")
        let second = try await remind("two@example.org", "spring", "/news/a")
        at("2026-11-16T10:00:00Z")
        try await confirm(second)
        at("2026-11-17T10:00:00Z")
        _ = try await remind("three@example.org", "spring", "/news/a")
        expect("spring") {
            $0.remindLater += 2
            $0.confirmed += 1
        }

        // Not from the box: a pledge and a payment that neither report counts.
        let direct = try await app.pledges.record(
            PledgeRequest(email: "direct@example.org", amount: usd("9.00"), cadence: .monthly, source: "footer"))
        try await pay(direct.id, 900, .usd, id: "ch_direct")

        // December: the late pledge is paid (after November's end), and the purge of expired
        // requests has run.
        at("2026-12-02T10:00:00Z")
        try await pay(late, 700, .usd, id: "ch_5")
        let purge = try await app.jobs.run()
        #expect(purge.reminderRequestsPurged == 1)
        at("2026-12-03T00:00:00Z")
    }

    // MARK: The funnel

    @Test("The monthly report's funnel counts each step per campaign and in total, with its rates")
    func funnel() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 11))
        let funnel = report.boxFunnel
        #expect(funnel.campaigns.map(\.campaign) == ["spring", "winter"])
        for line in funnel.campaigns {
            #expect(line.counts == expected[line.campaign!], "\(line.campaign!)")
        }
        let total = expected.values.reduce(BoxFunnel.Counts()) { $0 + $1 }
        #expect(funnel.total.counts == total)
        // Worked out by hand: shown 11, continued 4, pledged 7, paid 5, remind later 3, confirmed 2, converted 1.
        #expect(
            total
                == BoxFunnel.Counts(
                    shown: 11, continued: 4, pledged: 7, paid: 5, remindLater: 3, confirmed: 2, converted: 1))
        let rates = funnel.total.rates
        #expect(Percent.plainText(permille: rates.continued) == "36.4%")
        #expect(Percent.plainText(permille: rates.pledged) == "175.0%")
        #expect(Percent.plainText(permille: rates.paid) == "71.4%")
        #expect(Percent.plainText(permille: rates.confirmed) == "66.7%")
        #expect(Percent.plainText(permille: rates.converted) == "50.0%")

        // October holds only the box pledge made on 10-30 (paid after October's end) and its beacons.
        let october = try await app.reports.monthly(month: .init(year: 2026, month: 10)).boxFunnel
        #expect(october.total.counts == BoxFunnel.Counts(shown: 3, continued: 1, pledged: 1, paid: 0))

        // The counters are per UTC day whatever the zone; everything else here is mid-month.
        let moscow = try await app.reports.monthly(
            month: .init(year: 2026, month: 11), timeZone: parseTimeZone("Europe/Moscow"))
        #expect(moscow.boxFunnel.total.counts == total)
    }

    @Test("The funnel appears in every format, and a month without the box has an empty one")
    func funnelFormats() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 11))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any])
        let box = try #require(json["box_funnel"] as? [String: Any])
        let total = try #require(box["total"] as? [String: Any])
        #expect(total["shown"] as? Int == 11)
        #expect(total["remind_later"] as? Int == 3)
        #expect((total["rates"] as? [String: Any])?["paid"] as? String == "71.4%")
        #expect(total["campaign"] == nil)
        #expect((box["campaigns"] as? [[String: Any]])?.first?["campaign"] as? String == "spring")

        let csv = report.rendered(as: .csv)
        #expect(csv.contains("\n2026-11,UTC,,box_funnel,shown,11,count,,,\n"))
        #expect(csv.contains("\n2026-11,UTC,,box_funnel,pledged_rate,175.0,percent,,,\n"))
        #expect(csv.contains("\n2026-11,UTC,,box_funnel:spring,converted,1,count,,,\n"))
        let table = report.rendered(as: .table)
        #expect(table.contains("Reader's box funnel"))
        #expect(table.contains("remind later"))
        #expect(report.rendered(as: .markdown).contains("## Reader's box funnel"))
        #expect(report.rendered(as: .html).contains("<table class=\"funnel\">"))

        // September: nothing from the box. JSON keeps the section; the text formats leave it out.
        let quiet = try await app.reports.monthly(month: .init(year: 2026, month: 9))
        #expect(quiet.boxFunnel.isEmpty)
        #expect(quiet.boxFunnel.total.counts == BoxFunnel.Counts())
        let quietJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(quiet.rendered(as: .json).utf8)) as? [String: Any])
        let quietBox = try #require(quietJSON["box_funnel"] as? [String: Any])
        #expect((quietBox["campaigns"] as? [Any])?.isEmpty == true)
        #expect(((quietBox["total"] as? [String: Any])?["rates"] as? [String: Any])?["paid"] is NSNull)
        for format in [ReportFormat.table, .csv, .markdown, .html] {
            let text = quiet.rendered(as: format)
            #expect(!text.contains("box funnel"), "\(format)")
        }
    }

    @Test("Pledges follow the report's time zone; the counters stay on their UTC day")
    func timeZones() async throws {
        // Given a fresh ledger: at 2026-11-30T22:00Z (already 12-01 01:00 in Moscow) the box is shown,
        // continued, and a pledge is made.
        let clock = SettableClock(instant("2026-11-30T22:00:00Z"))
        var config = PledgerConfig()
        config.box = try BoxConfigurationFile.load(
            path: fixturesDirectory().appending(path: "box/box.toml").path, config: config)
        let ledger = try TemporaryLedger(clock: clock.clock, config: config)
        let page = "https://news.example.org/news/late"
        try await ledger.app.box.count(kind: .shown, campaign: "winter", pageURL: page)
        try await ledger.app.box.count(kind: .continued, campaign: "winter", pageURL: page)
        _ = try await ledger.app.box.checkout(
            BoxCheckoutRequest(
                cadence: "monthly", amount: 500, currency: "USD", email: nil, pageURL: page, referrer: nil,
                campaign: "winter", utm: [:], website: nil))
        clock.set(instant("2027-01-10T00:00:00Z"))
        let moscow = try parseTimeZone("Europe/Moscow")
        // Then in UTC all of it is November's; in Moscow the pledge is December's while the
        // counters, kept per UTC day (11-30), stay in November.
        let utc = try await ledger.app.reports.monthly(month: .init(year: 2026, month: 11)).boxFunnel.total.counts
        #expect(utc == BoxFunnel.Counts(shown: 1, continued: 1, pledged: 1))
        let november = try await ledger.app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: moscow)
        #expect(november.boxFunnel.total.counts == BoxFunnel.Counts(shown: 1, continued: 1, pledged: 0))
        let december = try await ledger.app.reports.monthly(month: .init(year: 2026, month: 12), timeZone: moscow)
        #expect(december.boxFunnel.total.counts == BoxFunnel.Counts(pledged: 1))
        let sources = try await ledger.app.reports.sources(month: .init(year: 2026, month: 12), timeZone: moscow)
        #expect(sources.pages.map(\.name) == ["/news/late"])
        #expect(sources.timeZone == "Europe/Moscow")
    }

    // MARK: Sources

    @Test("Sources ranks pages and campaigns by new MRR, then receipts, per currency")
    func sources() async throws {
        let report = try await app.reports.sources(month: .init(year: 2026, month: 11))
        // The expected rankings, summed from what the test did.
        func ranking(_ name: (SourcesReport.Tally) -> String) -> [[String]] {
            var sums: [[String]: (Int64, Int64, Int64, Int64)] = [:]
            for t in tallies {
                let key = [t.currency, name(t)]
                let s = sums[key] ?? (0, 0, 0, 0)
                sums[key] = (s.0 + t.newPledges, s.1 + t.newMRRTwelfths, s.2 + t.receipts, s.3 + t.payments)
            }
            return sums.map { key, s in
                key + [String(s.0), String(roundHalfEven(s.1, dividedBy: 12)), String(s.2), String(s.3)]
            }.sorted { a, b in
                a[0] != b[0]
                    ? a[0] < b[0] : Int(a[3])! != Int(b[3])! ? Int(a[3])! > Int(b[3])! : Int(a[4])! > Int(b[4])!
            }
        }
        let shown = { (rows: [SourcesReport.Source]) in
            rows.map {
                [
                    $0.currency, $0.name, String($0.newPledges), String($0.newMrr), String($0.receipts),
                    String($0.payments),
                ]
            }
        }
        #expect(shown(report.pages) == ranking(\.pagePath))
        #expect(shown(report.campaigns) == ranking(\.campaign))
        // By hand: /news/a 15.00 new MRR beats /news/c's 416.67 (50.00 annual) though /news/c took more
        // (with a 25.00 gift).
        #expect(
            shown(report.pages) == [
                ["EUR", "/news/b", "1", "1000", "1000", "1"],
                ["USD", "/news/a", "4", "1500", "1500", "3"],
                ["USD", "/news/c", "2", "417", "7500", "2"],
            ])
        #expect(report.pages.map(\.rank) == [1, 1, 2])
        #expect(
            shown(report.campaigns) == [
                ["EUR", "winter", "1", "1000", "1000", "1"],
                ["USD", "winter", "4", "1417", "8500", "4"],
                ["USD", "spring", "2", "500", "500", "1"],
            ])
        #expect(
            report.totals == [
                .init(currency: "EUR", newPledges: 1, newMrr: 1000, receipts: 1000, payments: 1),
                .init(currency: "USD", newPledges: 6, newMrr: 1917, receipts: 9000, payments: 5),
            ])

        // "Remind me later" by page: all three requests came from /news/a; two confirmed, one converted.
        let reminded = expected.values.reduce(BoxFunnel.Counts()) { $0 + $1 }
        #expect(
            report.reminders == [
                .init(
                    rank: 1, pagePath: "/news/a", remindLater: reminded.remindLater, confirmed: reminded.confirmed,
                    converted: reminded.converted)
            ])
        #expect(report.reminders.first?.remindLater == 3)

        // December: the late pledge's first payment and nothing else.
        let december = try await app.reports.sources(month: .init(year: 2026, month: 12))
        #expect(shown(december.pages) == [["USD", "/news/a", "0", "700", "700", "1"]])

        // Every format renders; an empty month says so.
        #expect(report.rendered(as: .csv).contains("\n2026-11,UTC,page,2,/news/c,USD,2,4.17,75.00,2,,,\n"))
        #expect(report.rendered(as: .csv).hasSuffix("\n2026-11,UTC,reminders,1,/news/a,,,,,,3,2,1\n"))
        #expect(report.rendered(as: .table).contains("Remind me later, by article"))
        #expect(report.rendered(as: .table).contains("/news/c"))
        #expect(report.rendered(as: .markdown).contains("### By campaign"))
        #expect(report.rendered(as: .html).contains("<table class=\"sources\">"))
        let empty = try await app.reports.sources(month: .init(year: 2026, month: 9))
        #expect(empty.isEmpty)
        #expect(empty.rendered(as: .table).contains("The box brought no pledge"))
        #expect(
            empty.rendered(as: .csv)
                == "month,time_zone,ranking,rank,source,currency,new_pledges,new_mrr,receipts,payments,remind_later,confirmed,converted\n"
        )
    }

    @Test("Funnel and sources JSON match their schemas in docs/")
    func schemas() async throws {
        let schemas = try SchemaValidator(
            directory: fixturesDirectory().deletingLastPathComponent().appending(path: "docs"))
        for (file, json) in [
            (
                "monthly-report.schema.json",
                try await app.reports.monthly(month: .init(year: 2026, month: 11)).rendered(as: .json)
            ),
            (
                "monthly-report.schema.json",
                try await app.reports.monthly(month: .init(year: 2026, month: 9)).rendered(as: .json)
            ),
            (
                "sources-report.schema.json",
                try await app.reports.sources(month: .init(year: 2026, month: 11)).rendered(as: .json)
            ),
            (
                "sources-report.schema.json",
                try await app.reports.sources(month: .init(year: 2026, month: 9)).rendered(as: .json)
            ),
        ] {
            let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
            #expect(try schemas.validate(value, against: file) == [], "\(file)")
        }
    }
}
