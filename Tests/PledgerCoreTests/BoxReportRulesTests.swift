import Foundation
import Testing

@testable import PledgerCore

@Suite("Box funnel and sources rules")
struct BoxReportRulesTests {
    @Test("The funnel sorts campaigns, drops quiet ones, totals them, and rates each step with integers")
    func funnel() {
        let funnel = BoxFunnel(campaigns: [
            "winter": .init(shown: 300, continued: 30, pledged: 9, paid: 6, remindLater: 8, confirmed: 3, converted: 1),
            "autumn": .init(shown: 100, continued: 0, pledged: 2),
            "quiet": .init(),
        ])
        #expect(funnel.campaigns.map(\.campaign) == ["autumn", "winter"])
        #expect(
            funnel.total.counts
                == .init(shown: 400, continued: 30, pledged: 11, paid: 6, remindLater: 8, confirmed: 3, converted: 1))
        let autumn = funnel.campaigns[0].rates
        #expect(autumn.continued == 0)
        #expect(autumn.pledged == nil)  // nothing continued: no rate, not 0% or infinity
        #expect(autumn.confirmed == nil)
        let total = funnel.total.rates
        #expect(total.continued == 75)  // 30 / 400 = 7.5%
        #expect(total.pledged == 367)  // 11 / 30 = 36.66…%
        #expect(total.paid == 545)  // 6 / 11 = 54.54…%
        #expect(total.confirmed == 375)
        #expect(total.converted == 333)
        #expect(BoxFunnel.empty.isEmpty && BoxFunnel.empty.total.counts == .init())
    }

    @Test("The counters of a month are the UTC days dated in it")
    func counterDays() {
        #expect(BoxFunnel.counterDays(ReportMonth(year: 2026, month: 12)) == ("2026-12-01", "2027-01-01"))
        #expect(BoxFunnel.counterDays(ReportMonth(year: 2026, month: 2)) == ("2026-02-01", "2026-03-01"))
    }

    @Test("The funnel's JSON writes every rate, null where the step before is zero, and no campaign on the total")
    func funnelJSON() throws {
        let json = JSONText.encode(BoxFunnel(campaigns: ["a": .init(shown: 3, continued: 1)]))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["campaign"] == nil)
        let rates = try #require(total["rates"] as? [String: Any])
        #expect(rates["continued"] as? String == "33.3%")
        #expect(rates["pledged"] as? String == "0.0%")
        #expect(rates["paid"] is NSNull)  // nothing pledged
        #expect(Set(rates.keys) == ["continued", "pledged", "paid", "confirmed", "converted"])
    }

    @Test("Sources rank per currency by new MRR as printed, then receipts, then new pledges, then name")
    func ranking() throws {
        let tallies: [SourcesReport.Tally] = [
            // /b (5000 twelfths, 416.67) and /c (5004, 417.00) print the same new MRR, 417; /c took more.
            .init(pagePath: "/b", campaign: "x", currency: "USD", newPledges: 1, newMRRTwelfths: 5000, receipts: 5000),
            .init(pagePath: "/c", campaign: "y", currency: "USD", newPledges: 1, newMRRTwelfths: 5004, receipts: 6000),
            .init(pagePath: "/a", campaign: "x", currency: "USD", newPledges: 3, newMRRTwelfths: 6000, receipts: 500),
            .init(pagePath: "/a", campaign: "x", currency: "EUR", newPledges: 1),
            .init(pagePath: "/d", campaign: "y", currency: "USD", newPledges: 2),
            .init(pagePath: "/e", campaign: "y", currency: "USD", newPledges: 2),
        ]
        let report = try SourcesReport(
            month: ReportMonth(year: 2026, month: 11), timeZone: .gmt, generatedAt: Date(timeIntervalSince1970: 0),
            tallies: tallies)
        #expect(
            report.pages.map { "\($0.currency) \($0.rank) \($0.name) \($0.newMrr)" } == [
                "EUR 1 /a 0", "USD 1 /a 500", "USD 2 /c 417", "USD 3 /b 417", "USD 4 /d 0", "USD 5 /e 0",
            ])
        // x: 5000 + 6000 twelfths = 916.67 → 917; y: 5004 → 417.
        #expect(
            report.campaigns.map { "\($0.currency) \($0.name) \($0.newMrr) \($0.receipts)" } == [
                "EUR x 0 0", "USD x 917 5500", "USD y 417 6000",
            ])
        // The total is rounded once from the sum: 16004 twelfths = 1333.67 → 1334.
        #expect(report.totals.map(\.newMrr) == [0, 1334])
        #expect(report.totals.map(\.newPledges) == [1, 9])
    }

    @Test("A sum past Int64 is an error naming the currency, never a wrap")
    func overflow() {
        let big = SourcesReport.Tally(pagePath: "/", campaign: "c", currency: "USD", receipts: .max)
        #expect(throws: PledgerError.self) {
            try SourcesReport(
                month: ReportMonth(year: 2026, month: 11), timeZone: .gmt, generatedAt: Date(), tallies: [big, big])
        }
    }
}
