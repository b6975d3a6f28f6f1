import Foundation
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

/// `pledger report sources` and the monthly report's box funnel as a person runs them, on a ledger
/// the box filled in November 2026 (through its use cases, on a fixed clock): a monthly 5.00 USD
/// from /news/a (winter), paid; an annual 120.00 USD from /news/b (spring), paid; a monthly
/// 10.00 EUR from /news/b (winter), never paid; a "remind me later" from /news/a, never confirmed.
extension CommandLineTests {
    private func boxLedger() async throws -> TemporaryLedger {
        let clock = SettableClock(instant("2026-11-05T10:00:00Z"))
        var config = PledgerConfig()
        config.box = try BoxConfigurationFile.load(
            path: fixturesDirectory().appending(path: "box/box.toml").path, config: config)
        let ledger = try TemporaryLedger(clock: clock.clock, config: config)
        let app = ledger.app
        for (day, path, campaign, cadence, amount, currency, paid) in [
            ("05", "/news/a", "winter", Cadence.monthly, Int64(500), Currency.usd, true),
            ("06", "/news/b", "spring", .annual, 12000, .usd, true),
            ("07", "/news/b", "winter", .monthly, 1000, .eur, false),
        ] {
            clock.set(instant("2026-11-\(day)T10:00:00Z"))
            try await app.box.count(kind: .shown, campaign: campaign, pageURL: "https://news.example.org\(path)")
            try await app.box.count(kind: .continued, campaign: campaign, pageURL: "https://news.example.org\(path)")
            let pledge = try await app.box.checkout(
                BoxCheckoutRequest(
                    cadence: cadence.rawValue, amount: amount, currency: currency.code, email: nil,
                    pageURL: "https://news.example.org\(path)", referrer: nil, campaign: campaign, utm: [:],
                    website: nil))
            if paid {
                clock.set(instant("2026-11-\(day)T10:05:00Z"))
                _ = try await app.payments.record(
                    PaymentRequest(
                        pledgeID: pledge.pledgeID, amount: try Money.minor(amount, currency: currency),
                        processor: "stripe", externalID: "ch_\(day)"))
            }
        }
        // A reader asks to be reminded from /news/a and never confirms.
        try await app.box.requestReminder(
            BoxReminderRequest(
                email: "later@example.org", pageURL: "https://news.example.org/news/a", referrer: nil,
                campaign: "winter", utm: [:], website: nil))
        return ledger
    }

    @Test("report sources in every format; JSON and CSV rank pages and campaigns by new MRR, then receipts")
    func sourcesFormats() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let ledger = try await boxLedger()
        let db = ["--db", ledger.path]
        for format in ["table", "json", "csv", "markdown", "html"] {
            let run = try pledger(arguments: ["report", "sources", "--month", "2026-11", "--format", format] + db)
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(!run.stdout.isEmpty, "\(format)")
        }

        let json = try pledger(arguments: ["report", "sources", "--month", "2026-11", "--format", "json"] + db).json()
        #expect(json["month"] as? String == "2026-11")
        let pages = try #require(json["pages"] as? [[String: Any]])
        #expect(pages.map { $0["page_path"] as? String } == ["/news/b", "/news/b", "/news/a"])
        #expect(pages.map { $0["currency"] as? String } == ["EUR", "USD", "USD"])
        #expect(pages.map { $0["new_mrr"] as? Int } == [0, 1000, 500])
        #expect(pages.map { $0["receipts"] as? Int } == [0, 12000, 500])
        #expect(pages.map { $0["new_pledges"] as? Int } == [1, 1, 1])
        #expect(pages.map { $0["rank"] as? Int } == [1, 1, 2])
        let campaigns = try #require(json["campaigns"] as? [[String: Any]])
        #expect(campaigns.map { $0["campaign"] as? String } == ["winter", "spring", "winter"])
        let reminders = try #require(json["reminders"] as? [[String: Any]])
        #expect(reminders.map { $0["page_path"] as? String } == ["/news/a"])
        #expect(reminders.first?["remind_later"] as? Int == 1)
        #expect(reminders.first?["confirmed"] as? Int == 0)
        let totals = try #require(json["totals"] as? [[String: Any]])
        #expect(totals.map { $0["new_mrr"] as? Int } == [0, 1500])

        let csv = try pledger(arguments: ["report", "sources", "--month", "2026-11", "--format", "csv"] + db).stdout
        #expect(
            csv == """
                month,time_zone,ranking,rank,source,currency,new_pledges,new_mrr,receipts,payments,remind_later,confirmed,converted
                2026-11,UTC,page,1,/news/b,EUR,1,0.00,0.00,0,,,
                2026-11,UTC,page,1,/news/b,USD,1,10.00,120.00,1,,,
                2026-11,UTC,page,2,/news/a,USD,1,5.00,5.00,1,,,
                2026-11,UTC,campaign,1,winter,EUR,1,0.00,0.00,0,,,
                2026-11,UTC,campaign,1,spring,USD,1,10.00,120.00,1,,,
                2026-11,UTC,campaign,2,winter,USD,1,5.00,5.00,1,,,
                2026-11,UTC,total,,,EUR,1,0.00,0.00,0,,,
                2026-11,UTC,total,,,USD,2,15.00,125.00,2,,,
                2026-11,UTC,reminders,1,/news/a,,,,,,1,0,0

                """)

        // The monthly report carries the funnel in JSON and CSV.
        let monthly = try pledger(arguments: ["report", "monthly", "--month", "2026-11", "--format", "json"] + db)
            .json()
        let total = try #require((monthly["box_funnel"] as? [String: Any])?["total"] as? [String: Any])
        #expect(total["shown"] as? Int == 3)
        #expect(total["pledged"] as? Int == 3)
        #expect(total["paid"] as? Int == 2)
        let monthlyCSV = try pledger(arguments: ["report", "monthly", "--month", "2026-11", "--format", "csv"] + db)
        #expect(monthlyCSV.stdout.contains("2026-11,UTC,,box_funnel,paid_rate,66.7,percent,,,"))
        #expect(monthlyCSV.stdout.contains("2026-11,UTC,,box_funnel:winter,pledged,2,count,,,"))

        let bad = try pledger(arguments: ["report", "sources", "--month", "2026-13"] + db)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("month"))
    }
}
