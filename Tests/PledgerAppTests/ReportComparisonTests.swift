import Foundation
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerTestSupport
import Testing

/// The figures issue 5 added to the monthly report — the previous month beside each figure, the
/// change in percent, supporter counts, the conversion rate, converted totals — and the trend and
/// cohort reports, on the three months of ``ThreeMonthScenarioTests`` (its doc comment has the cast).
///
/// September 2026, worked out by hand (USD): Ivan 6.00 (fee 0.50) on 09-01, Alice 10.00 (0.50) on 09-05,
/// Dave 5.00 (0.45) on 09-10: 3 payments, gross 21.00, fees 1.45, net 19.55. Three monthly pledges
/// created and activated; Ivan's cancelled on 09-20. MRR: Ivan came and went within the month, so he
/// is neither at the start nor the end; Alice 10.00 + Dave 5.00 = 15.00, all new. Fay's reminder was
/// scheduled (09-20) and deferred (09-25).
extension ThreeMonthScenarioTests {
    private func block(_ report: MonthlyReport.MonthFigures?, _ code: String) throws -> MonthlyReport.CurrencyFigures {
        try #require(report).figures(code)
    }

    @Test("October beside September: the previous month's figures, worked out by hand")
    func previousMonth() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        let previous = try #require(report.previous)
        #expect(previous.month == "2026-09")
        #expect(previous.periodStart == "2026-09-01T00:00:00Z")
        #expect(previous.periodEnd == "2026-10-01T00:00:00Z")
        // EUR starts in October; September shows it as zeros so the two months line up.
        #expect(previous.currencies.map(\.currency) == ["EUR", "USD"])
        #expect(try block(previous, "EUR") == .zero("EUR"))

        let september = try block(previous, "USD")
        var receipts = MonthlyReport.Receipts()
        receipts.payments = 3
        receipts.gross = 2100
        receipts.monthly = 2100
        receipts.fees = 145
        receipts.net = 1955
        receipts.payingSupporters = 3
        #expect(september.receipts == receipts)
        var pledges = MonthlyReport.Pledges()
        pledges.createdMonthly = 3
        pledges.activated = 3
        pledges.cancelled = 1
        #expect(september.pledges == pledges)
        #expect(
            september.mrr
                == MRRMovement(start: 0, new: 1500, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 1500)
        )
        #expect(september.arr == 18000)
        var supporters = SupporterCounts()
        supporters.new = 2
        supporters.end = 2
        #expect(september.supporters == supporters)

        #expect(previous.reminders.scheduled == 1)
        #expect(previous.reminders.deferred == 1)
        #expect(previous.reminders.converted == 0)
        // Without the chart's twelve months only two months are read; the figures are the same.
        let short = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt, trend: false)
        #expect(short.trend == nil)
        #expect(report.trend?.count == 12)
        #expect(short.currencies == report.currencies)
        #expect(short.previous == report.previous)
        // October: Fay converted, Gina newly scheduled: 1 ÷ 1. September: 0 ÷ 1.
        #expect(report.reminders.conversionRate == "100.0%")
        #expect(previous.reminders.conversionRate == "0.0%")
    }

    @Test("Recurring supporters: who joined, moved and left each month")
    func supporterCounts() async throws {
        let october = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        // USD October: Alice and Dave at the start; Bob new, Alice upgraded, Dave churned; Alice and Bob at the end.
        var usd = SupporterCounts()
        (usd.start, usd.new, usd.expanded, usd.churned, usd.end) = (2, 1, 1, 1, 2)
        #expect(october.figures.figures("USD").supporters == usd)
        // EUR October: Erik is new.
        var eur = SupporterCounts()
        (eur.new, eur.end) = (1, 1)
        #expect(october.figures.figures("EUR").supporters == eur)

        let november = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt)
        // Ivan had MRR in September, none at November's start, and returns: reactivated.
        var usdNovember = SupporterCounts()
        (usdNovember.start, usdNovember.reactivated, usdNovember.end) = (2, 1, 3)
        #expect(november.figures.figures("USD").supporters == usdNovember)
        // No pledge fell past due in this history.
        #expect(november.currencies.allSatisfy { $0.mrrAtRisk == 0 && $0.pastDuePledges == 0 })
        // November has no reminders converted and one scheduled (Hank).
        #expect(november.reminders.conversionRate == "0.0%")
    }

    @Test("The table: each figure beside September with the change and the percentage, within 80 columns")
    func table() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        let text = report.rendered(as: .table)
        #expect(!text.contains("\u{1B}"))
        for line in text.split(separator: "\n") {
            #expect(line.count <= 80, "too wide: \(line)")
        }
        let usd = try section(text, "USD")
        #expect(usd.first?.split(separator: " ").map(String.init) == ["USD", "2026-10", "2026-09", "change", "%"])
        // gross 173.00 vs 21.00: +152.00 = +723.809…% → +723.8%.
        #expect(try row(usd, "gross") == ["173.00", "21.00", "+152.00", "+723.8%"])
        // net 166.65 vs 19.55: +147.10 = +752.429…% → +752.4%.
        #expect(try row(usd, "net") == ["166.65", "19.55", "+147.10", "+752.4%"])
        // fees 6.35 vs 1.45: +4.90 = +337.93…%.
        #expect(try row(usd, "less fees") == ["6.35", "1.45", "+4.90", "+337.9%"])
        #expect(try row(usd, "less chargebacks") == ["0.00", "0.00", "0.00", "—"])
        // MRR 25.00 vs 15.00: +66.67% → +66.7%; Dave's churn 5.00 against none: no percentage.
        #expect(try row(usd, "= end") == ["25.00", "15.00", "+10.00", "+66.7%"])
        #expect(try row(usd, "\u{2212} churned") == ["5.00", "0.00", "+5.00", "—"])
        #expect(try row(usd, "ARR (12 × MRR)") == ["300.00", "180.00", "+120.00", "+66.7%"])
        // No pledge paused or resumed in this history: both show as zeros, in their places.
        #expect(
            usd.contains(
                "  MRR: 15.00 + 10.00 + 0.00 + 0.00 + 5.00 \u{2212} 0.00 \u{2212} 0.00 \u{2212} 5.00 = 25.00 \u{2713}"))
        #expect(try row(usd, "+ resumed") == ["0.00", "0.00", "0.00", "—"])
        #expect(try row(usd, "\u{2212} paused") == ["0.00", "0.00", "0.00", "—"])
        let reminders = try section(text, "Reminders")
        #expect(try row(reminders, "conversion rate") == ["100.0%", "0.0%", "+100.0", "pts"])
        #expect(text.hasPrefix("Monthly revenue report \u{2014} October 2026 (2026-10, UTC)\n"))

        // Colour only when asked: good news green, bad news red, the previous month dimmed.
        let coloured = report.rendered(as: .table, colour: true)
        #expect(coloured.contains("\u{1B}[32m+152.00\u{1B}[0m"))  // gross rose
        #expect(coloured.contains("\u{1B}[31m  +4.90\u{1B}[0m"))  // fees rose
        #expect(coloured.contains("\u{1B}[2m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression) == text)
    }

    @Test("CSV: previous value, change and change in percent on every figure's row")
    func csv() async throws {
        let october = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt).rendered(
            as: .csv)
        let lines = october.split(separator: "\n").map(String.init)
        #expect(lines.first == "month,time_zone,currency,section,metric,value,unit,previous_value,change,change_pct")
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 10 })
        #expect(lines.contains("2026-10,UTC,USD,receipts,gross,173.00,USD,21.00,152.00,723.8"))
        #expect(lines.contains("2026-10,UTC,USD,receipts,net,166.65,USD,19.55,147.10,752.4"))
        #expect(lines.contains("2026-10,UTC,USD,supporters,end,2,count,2,0,0.0"))
        #expect(lines.contains("2026-10,UTC,EUR,mrr,end,8.00,EUR,0.00,8.00,"))
        #expect(lines.contains("2026-10,UTC,,reminders,conversion_rate,100.0,percent,0.0,100.0,"))
        #expect(lines.contains("2026-10,UTC,USD,mrr,resumed,0.00,USD,0.00,0.00,"))
        #expect(lines.contains("2026-10,UTC,USD,mrr,paused,0.00,USD,0.00,0.00,"))
        #expect(lines.contains("2026-10,UTC,USD,supporters,paused,0,count,0,0,"))
        // Two currencies × 38 figures + 5 reminder rows + the header.
        let expectedRows = 2 * 38 + 5 + 1
        #expect(lines.count == expectedRows)

        let november = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt).rendered(
            as: .csv)
        // Net fell from 166.65 to −4.00: −170.65 = −102.40% of 166.65.
        #expect(november.contains("\n2026-11,UTC,USD,receipts,net,-4.00,USD,166.65,-170.65,-102.4\n"))
    }

    @Test("Markdown and HTML carry the same figures; the HTML page is self-contained")
    func markdownAndHTML() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        let markdown = report.rendered(as: .markdown)
        #expect(markdown.hasPrefix("# Monthly revenue report \u{2014} October 2026\n"))
        #expect(markdown.contains("| Figure | 2026-10 | 2026-09 | Change | % |\n|:--|--:|--:|--:|--:|\n"))
        #expect(markdown.contains("| **net** | **166.65** | 19.55 | +147.10 | +752.4% |"))

        let html = report.rendered(as: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        // The only URL is the SVG namespace, which names and loads nothing.
        let urls = html.components(separatedBy: "http").dropFirst().map { $0.prefix(30) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg\"") })
        // One 12-month chart and one MRR bridge per currency.
        #expect(html.components(separatedBy: "<figure class=\"trend\">").count - 1 == 2)
        #expect(html.components(separatedBy: "<div class=\"bridge\">").count - 1 == 2)
        #expect(
            html.contains(
                "<td>166.65</td><td class=\"previous\">19.55</td><td class=\"good\">+147.10</td><td class=\"good\">+752.4%</td>"
            ))
        #expect(html.contains("aria-label=\"Net receipts and MRR, 2025-11 to 2026-10, USD\""))
        // The trend behind the chart: twelve months, October last with USD net 166.65 and MRR 25.00.
        let trend = try #require(report.trend)
        #expect(trend.map(\.month).first == "2025-11")
        #expect(
            trend.last
                == MonthlyReport.TrendPoint(
                    month: "2026-10",
                    currencies: [
                        .init(currency: "EUR", net: 747, mrr: 800), .init(currency: "USD", net: 16665, mrr: 2500),
                    ]))
    }

    @Test("Converted totals: each currency at its month's rate, rounded half to even, then added")
    func converted() async throws {
        let rates = try ExchangeRates.parse(
            "date,currency,rate\n2026-09-30,USD,0.8\n2026-10-15,USD,0.95\n2026-10-30,USD,0.9\n", target: .eur,
            source: "rates.csv")
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt, rates: rates)
        let october = try #require(report.converted)
        // Gross: USD 173.00 × 0.9 = 155.70, + EUR 8.00 = 163.70. Fees: USD 6.35 × 0.9 = 5.715 → 5.72 (half to even), + EUR 0.53.
        #expect(october.rates == [ConvertedTotals.Rate(currency: "USD", date: "2026-10-30", rate: "0.9")])
        #expect((october.gross, october.refunds, october.chargebacks, october.fees) == (16370, 0, 0, 625))
        #expect(october.net == 15745)
        // MRR: USD 25.00 × 0.9 = 22.50, + EUR 8.00.
        #expect((october.mrr, october.arr, october.mrrAtRisk) == (3050, 36600, 0))
        // September at its own rate: gross 21.00 × 0.8 = 16.80, fees 1.45 × 0.8 = 1.16, MRR 15.00 × 0.8 = 12.00.
        let september = try #require(report.previous?.converted)
        #expect((september.gross, september.fees, september.net, september.mrr) == (1680, 116, 1564, 1200))
        #expect(report.rendered(as: .csv).contains("\n2026-10,UTC,EUR,converted,net,157.45,EUR,15.64,141.81,906.7\n"))
        #expect(report.rendered(as: .csv).contains("\n2026-10,UTC,USD,rates,rate,0.9,EUR per USD,,,\n"))

        // Without September's rate the report still comes, without September's converted column.
        let octoberOnly = try ExchangeRates.parse(
            "date,currency,rate\n2026-10-30,USD,0.9\n", target: .eur, source: "rates.csv")
        let partial = try await app.reports.monthly(
            month: .init(year: 2026, month: 10), timeZone: .gmt, rates: octoberOnly)
        #expect(partial.converted == october)
        #expect(partial.previous?.converted == nil)
        // Without October's, it is refused, naming the currency and the date.
        let septemberOnly = try ExchangeRates.parse(
            "date,currency,rate\n2026-09-30,USD,0.8\n", target: .eur, source: "rates.csv")
        await #expect {
            try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt, rates: septemberOnly)
        } throws: { error in
            (error as? PledgerError)?.message.hasPrefix("no USD rate for 2026-10-31 in rates.csv") == true
        }
    }

    @Test("The range report's months are exactly the monthly reports, in UTC and in Moscow")
    func rangeMatchesMonthly() async throws {
        for zone in [TimeZone.gmt, try parseTimeZone("Europe/Moscow")] {
            let range = try await app.reports.range(
                from: .init(year: 2026, month: 8), to: .init(year: 2026, month: 12), timeZone: zone)
            #expect(range.months.map(\.month) == ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"])
            for figures in range.months {
                let monthly = try await app.reports.monthly(month: try ReportMonth.parse(figures.month), timeZone: zone)
                // The monthly report also lists last month's currencies (as zeros); the range lists the month's own.
                #expect(
                    figures.currencies
                        == monthly.currencies.filter { figures.currencies.map(\.currency).contains($0.currency) })
                #expect(figures.reminders == monthly.reminders)
            }
        }
        let range = try await app.reports.range(from: .init(year: 2026, month: 9), to: .init(year: 2026, month: 11))
        #expect(range.months.map { $0.figures("USD").mrr.end } == [1500, 2500, 3200])
        #expect(range.months.map { $0.figures("USD").receipts.net } == [1955, 16665, -400])
        let table = range.rendered(as: .table)
        let usd = try section(table, "USD")
        #expect(
            usd.dropFirst().first?.split(separator: " ") == [
                "month", "payments", "gross", "net", "MRR", "active", "new", "churned",
            ])
        // November: 2 payments, gross 22.00, net −4.00, MRR 32.00, 3 supporters, Ivan back (new includes returning), none churned.
        #expect(
            usd.last?.split(separator: " ").map(String.init) == [
                "2026-11", "2", "22.00", "\u{2212}4.00", "32.00", "3", "1", "0",
            ])
        #expect(
            range.rendered(as: .csv).contains(
                "\n2026-10,UTC,USD,6,173.00,0.00,0.00,6.35,166.65,15.00,10.00,0.00,0.00,5.00,0.00,0.00,5.00,25.00,0.00,300.00,2,1,0,0,0,1,2\n"
            ))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(range.rendered(as: .json).utf8)) as? [String: Any])
        #expect(json["from"] as? String == "2026-09")
        #expect(((json["months"] as? [[String: Any]])?.first?["month"]) as? String == "2026-09")

        await #expect {
            try await app.reports.range(from: .init(year: 2026, month: 11), to: .init(year: 2026, month: 9))
        } throws: {
            ($0 as? PledgerError)?.description == "to: 2026-09 is before --from 2026-11"
        }
        await #expect {
            try await app.reports.range(from: .init(year: 2026, month: 11), to: .init(year: 2027, month: 1))
        } throws: {
            ($0 as? PledgerError)?.description == "to: 2027-01 has not started yet; the current month is 2026-12"
        }
        // A monthly report of a month to come would be all zeros: refused the same way; the running month is allowed.
        await #expect { try await app.reports.monthly(month: .init(year: 2027, month: 1)) } throws: {
            ($0 as? PledgerError)?.description == "month: 2027-01 has not started yet; the current month is 2026-12"
        }
        #expect(try await app.reports.monthly(month: .init(year: 2026, month: 12)).month.description == "2026-12")
    }

    @Test("Cohorts by month of first recurring payment, retention at later month ends")
    func cohorts() async throws {
        // Now is 2026-12-15, so November is the last complete month and the default last cohort.
        let all = try await app.reports.cohorts()
        #expect(all.from == "2025-11")
        #expect(all.cohorts.count == 13)
        let byMonth = Dictionary(uniqueKeysWithValues: all.cohorts.map { ($0.month, $0) })
        // September: Ivan, Alice, Dave. End of October: only Alice (Ivan's first pledge ended 09-20, his
        // second starts 11-03; Dave cancelled 10-25): 1 of 3. End of November: Alice and Ivan again: 2 of 3.
        let september = try #require(byMonth["2026-09"])
        #expect(september.supporters == 3)
        #expect(september.retention.map(\.afterMonths) == [1, 2, 3, 6, 12])
        #expect(september.retention.map(\.active) == [1, 2, nil, nil, nil])
        #expect(september.retention.map(\.share) == ["33.3%", "66.7%", nil, nil, nil])
        // October: Bob (annual) and Erik (EUR, 10-31 22:30 UTC); both live at the end of November.
        #expect(byMonth["2026-10"]?.supporters == 2)
        #expect(byMonth["2026-10"]?.retention.first?.share == "100.0%")
        // November: Ivan's second pledge does not make him new; nobody joined.
        #expect(byMonth["2026-11"]?.supporters == 0)
        #expect(byMonth["2026-11"]?.retention.first?.active == nil)
        #expect(byMonth["2026-08"]?.retention.first?.active == 0)

        let monthly = try await app.reports.cohorts(
            from: .init(year: 2026, month: 9), to: .init(year: 2026, month: 10), scope: .monthly)
        #expect(monthly.cohorts.map(\.supporters) == [3, 1])  // Bob's annual pledge is out of scope
        #expect(monthly.cohorts.map { $0.retention[0].active } == [1, 1])
        let annual = try await app.reports.cohorts(
            from: .init(year: 2026, month: 9), to: .init(year: 2026, month: 10), scope: .annual)
        #expect(annual.cohorts.map(\.supporters) == [0, 1])

        let table = all.rendered(as: .table)
        let line = try #require(table.split(separator: "\n").first { $0.hasPrefix("2026-09") })
        #expect(line.split(separator: " ") == ["2026-09", "3", "33.3%", "66.7%"])
        #expect(
            all.rendered(as: .csv).contains(
                "\n2026-09,recurring,UTC,3,1,1,33.3\n2026-09,recurring,UTC,3,2,2,66.7\n2026-09,recurring,UTC,3,3,,\n"))
        #expect(all.rendered(as: .json).contains("\"active\" : null"))
        await #expect { try await app.reports.cohorts(to: .init(year: 2026, month: 12)) } throws: {
            ($0 as? PledgerError)?.field == "to"
        }
    }

    /// The lines of the table block whose first line starts with `title`.
    private func section(_ text: String, _ title: String) throws -> [String] {
        let blocks = text.components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init) }
        return try #require(blocks.first { $0.first?.hasPrefix(title) == true })
    }

    /// The figures of the row labelled `label` in a block, split at runs of spaces.
    private func row(_ lines: [String], _ label: String) throws -> [String] {
        let line = try #require(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + "  ") })
        return line.trimmingCharacters(in: .whitespaces).dropFirst(label.count).split(separator: " ").map(String.init)
    }
}
