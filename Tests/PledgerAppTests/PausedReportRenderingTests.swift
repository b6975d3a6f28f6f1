import Foundation
import PledgerCore
import PledgerRender
import PledgerTestSupport
import Testing

/// Issue 15: every report format shows the MRR that paused and resumed, in the identity's order
/// (`start + new + reactivated + resumed + expansion − contraction − paused − churned = end`), and
/// the supporter counts beside it, on a month worked out by hand.
///
/// November 2026, USD, in twelfths of a cent (so the annual pledges stay exact):
/// - Anna: monthly 10.00 at the start, paused in the month: 12000 → 0, paused 12000.
/// - Boris: paused before the month, resumed at 7.00: 0 → 8400, resumed 8400 (not new, not reactivated).
/// - Clara: annual 1,000.00 all month: 100000 → 100000.
/// - Dmitri: new monthly 5.00: 0 → 6000.
/// - Elena: monthly 3.00, cancelled: 3600 → 0, churned.
/// - Fedor: monthly 4.00 raised to 6.00: 4800 → 7200, expansion 2400.
/// - Galina: annual 250.00 paused: 25000 → 0, paused 25000.
///
/// Running totals, rounded half to even after each step: start 145400 → 121.17; + new 6000 →
/// 151400 → 126.17 (new 5.00); + reactivated 0; + resumed 8400 → 159800 → 133.17 (7.00);
/// + expansion 2400 → 162200 → 135.17 (2.00); − contraction 0; − paused 37000 → 125200 → 104.33
/// (30.84, where 37000 / 12 is 30.8333…); − churned 3600 → 121600 → 101.33 (3.00) = end 101.33.
/// Supporters: 5 at the start (Anna, Clara, Elena, Fedor, Galina), 1 new, 1 resumed, 1 upgraded,
/// 2 paused, 1 churned, 4 at the end: 5 + 1 + 0 + 1 − 2 − 1 = 4.
@Suite("Paused and resumed MRR in every report format")
struct PausedReportRenderingTests {
    static let month = ReportMonth(year: 2026, month: 11)

    static let supporters = [
        SupporterMRR(
            supporterID: "anna", startTwelfths: 12000, endTwelfths: 0, hadEarlier: true, pausedTwelfths: 12000),
        SupporterMRR(
            supporterID: "boris", startTwelfths: 0, endTwelfths: 8400, hadEarlier: true, resumedTwelfths: 8400),
        SupporterMRR(supporterID: "clara", startTwelfths: 100000, endTwelfths: 100000, hadEarlier: true),
        SupporterMRR(supporterID: "dmitri", startTwelfths: 0, endTwelfths: 6000, hadEarlier: false),
        SupporterMRR(supporterID: "elena", startTwelfths: 3600, endTwelfths: 0, hadEarlier: true),
        SupporterMRR(supporterID: "fedor", startTwelfths: 4800, endTwelfths: 7200, hadEarlier: true),
        SupporterMRR(
            supporterID: "galina", startTwelfths: 25000, endTwelfths: 0, hadEarlier: true, pausedTwelfths: 25000),
    ]

    static func figures() throws -> MonthlyReport.CurrencyFigures {
        let mrr = try MRRMovement.classify(supporters)
        return MonthlyReport.CurrencyFigures(
            currency: "USD", receipts: MonthlyReport.Receipts(), pledges: MonthlyReport.Pledges(), mrr: mrr,
            arr: 12 * mrr.end, supporters: SupporterCounts(supporters))
    }

    static func report(previous: Bool = false) throws -> MonthlyReport {
        let figures = try figures()
        let before = MonthlyReport.MonthFigures(
            month: ReportMonth(year: 2026, month: 10), timeZone: .gmt, currencies: [.zero("USD")],
            reminders: MonthlyReport.Reminders())
        return MonthlyReport(
            month: month, timeZone: .gmt, generatedAt: Date(timeIntervalSince1970: 1_796_000_000),
            currencies: [figures], reminders: MonthlyReport.Reminders(), previous: previous ? before : nil)
    }

    /// The identity's nine figures as the text formats print them, in the identity's order.
    static let printed =
        "121.17 + 5.00 + 0.00 + 7.00 + 2.00 \u{2212} 0.00 \u{2212} 30.84 \u{2212} 3.00 = 101.33 \u{2713}"

    @Test("The figures behind the formats, worked out by hand")
    func figuresByHand() throws {
        let f = try Self.figures()
        #expect(
            f.mrr
                == MRRMovement(
                    start: 12117, new: 500, reactivated: 0, resumed: 700, expansion: 200, contraction: 0, paused: 3084,
                    churned: 300, end: 10133))
        #expect(f.mrr.isBalanced)
        var counts = SupporterCounts()
        (counts.start, counts.new, counts.resumed, counts.expanded, counts.paused, counts.churned, counts.end) =
            (5, 1, 1, 1, 2, 1, 4)
        #expect(f.supporters == counts)
    }

    @Test("Table: + resumed after reactivated, − paused before churned, the identity printed and balanced")
    func table() throws {
        let text = try Self.report().rendered(as: .table)
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines { #expect(line.count <= TerminalTableWidth.columns, "too wide: \(line)") }
        let labels = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        func figure(_ label: String) -> String? {
            labels.first { $0.hasPrefix(label + "  ") }.map {
                $0.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(figure("+ resumed") == "7.00")
        #expect(figure("\u{2212} paused") == "30.84")
        #expect(figure("resumed") == "1")
        #expect(figure("paused") == "2")
        let mrr = Self.order(
            of: [
                "start", "+ new", "+ reactivated", "+ resumed", "+ expansion", "\u{2212} contraction",
                "\u{2212} paused", "\u{2212} churned", "= end",
            ], in: labels)
        #expect(mrr.compactMap { $0 }.count == 9 && mrr.compactMap { $0 } == mrr.compactMap { $0 }.sorted())
        let counts = Self.order(
            of: [
                "at the start", "at the end", "new", "reactivated", "resumed", "upgraded", "downgraded", "paused",
                "churned",
            ], in: labels)
        #expect(counts.compactMap { $0 }.count == 9)

        let identity = try #require(
            lines.map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("MRR: ") })
        #expect(identity == "MRR: " + Self.printed)
        #expect(try Self.balances(identity.dropFirst("MRR: ".count)))
    }

    @Test("Markdown: the rows and the identity line")
    func markdown() throws {
        let text = try Self.report().rendered(as: .markdown)
        #expect(text.contains("| + reactivated | 0.00 |\n| + resumed | 7.00 |\n| + expansion | 2.00 |\n"))
        #expect(
            text.contains("| \u{2212} contraction | 0.00 |\n| \u{2212} paused | 30.84 |\n| \u{2212} churned | 3.00 |\n")
        )
        #expect(text.contains("| reactivated | 0 |\n| resumed | 1 |\n| upgraded | 1 |\n"))
        #expect(text.contains("| downgraded | 0 |\n| paused | 2 |\n| churned | 1 |\n"))
        let identity = try #require(text.split(separator: "\n").first { $0.hasPrefix("MRR identity: ") })
        #expect(identity == "MRR identity: " + Self.printed)
        #expect(try Self.balances(identity.dropFirst("MRR identity: ".count)))
    }

    @Test("HTML: the rows, the identity sentence, the bridge's Resumed and Paused bars, the supporters card")
    func html() throws {
        let html = try Self.report().rendered(as: .html)
        #expect(html.contains("<th scope=\"row\">+ resumed</th><td>7.00</td>"))
        #expect(html.contains("<th scope=\"row\">\u{2212} paused</th><td>30.84</td>"))
        #expect(html.contains("<th scope=\"row\">resumed</th><td>1</td>"))
        #expect(html.contains("<th scope=\"row\">paused</th><td>2</td>"))
        #expect(
            html.contains(
                "Start 121.17 + new 5.00 + reactivated 0.00 + resumed 7.00 + expansion 2.00 \u{2212} contraction 0.00 "
                    + "\u{2212} paused 30.84 \u{2212} churned 3.00 = end 101.33 USD \u{2713}"))
        #expect(html.contains("recurring; 1 joined, 1 left, 2 paused, 1 resumed"))
        // The bridge: a bar per movement in the identity's order, resumed going up and paused down.
        let bars = html.components(separatedBy: "<rect class=\"step").dropFirst().compactMap { piece in
            piece.split(separator: "<title>").dropFirst().first?.split(separator: "</title>").first.map(String.init)
        }
        #expect(
            bars == [
                "Start: 121.17 USD", "New: +5.00 USD", "Reactivated: 0.00 USD", "Resumed: +7.00 USD",
                "Expansion: +2.00 USD", "Contraction: 0.00 USD", "Paused: \u{2212}30.84 USD",
                "Churned: \u{2212}3.00 USD",
                "End: 101.33 USD",
            ])
        #expect(html.contains("<rect class=\"step up\"") && html.contains("<rect class=\"step down\""))

        // A month without pauses keeps the card as it was.
        var quiet = try Self.report()
        quiet.currencies[0].supporters.paused = 0
        quiet.currencies[0].supporters.resumed = 0
        #expect(quiet.rendered(as: .html).contains("recurring; 1 joined, 1 left</p>"))
    }

    @Test("CSV: mrr and supporter rows for resumed and paused, in order, beside the previous month")
    func csv() throws {
        let lines = try Self.report(previous: true).rendered(as: .csv).split(separator: "\n").map(String.init)
        let mrr = lines.filter { $0.hasPrefix("2026-11,UTC,USD,mrr,") }.map { $0.split(separator: ",")[4] }
        #expect(
            mrr.prefix(9) == [
                "start", "new", "reactivated", "resumed", "expansion", "contraction", "paused", "churned", "end",
            ])
        #expect(lines.contains("2026-11,UTC,USD,mrr,resumed,7.00,USD,0.00,7.00,"))
        #expect(lines.contains("2026-11,UTC,USD,mrr,paused,30.84,USD,0.00,30.84,"))
        #expect(lines.contains("2026-11,UTC,USD,supporters,resumed,1,count,0,1,"))
        #expect(lines.contains("2026-11,UTC,USD,supporters,paused,2,count,0,2,"))
        let supporters = lines.filter { $0.hasPrefix("2026-11,UTC,USD,supporters,") }.map {
            $0.split(separator: ",")[4]
        }
        #expect(
            supporters == [
                "start", "end", "new", "reactivated", "resumed", "expanded", "contracted", "paused", "churned",
            ])
        // The CSV's own figures add up: start + new + reactivated + resumed + expansion − contraction − paused − churned.
        let value = { (metric: String) throws -> Int64 in
            let line = try #require(lines.first { $0.hasPrefix("2026-11,UTC,USD,mrr,\(metric),") })
            return try #require(Int64(line.split(separator: ",")[5].replacingOccurrences(of: ".", with: "")))
        }
        let sum =
            try value("start") + value("new") + value("reactivated") + value("resumed") + value("expansion")
            - value("contraction") - value("paused") - value("churned")
        #expect(try sum == value("end"))
    }

    @Test("JSON: resumed and paused under mrr and supporters, snake_case, within the schema")
    func json() throws {
        let text = try Self.report(previous: true).rendered(as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let usd = try #require((object["currencies"] as? [[String: Any]])?.first)
        let mrr = try #require(usd["mrr"] as? [String: Any]).mapValues { ($0 as? NSNumber)?.int64Value ?? -1 }
        #expect(mrr["resumed"] == 700)
        #expect(mrr["paused"] == 3084)
        let sum =
            mrr["start"]! + mrr["new"]! + mrr["reactivated"]! + mrr["resumed"]! + mrr["expansion"]!
            - mrr["contraction"]! - mrr["paused"]! - mrr["churned"]!
        #expect(sum == mrr["end"])
        let supporters = try #require(usd["supporters"] as? [String: Any]).mapValues {
            ($0 as? NSNumber)?.int64Value ?? -1
        }
        #expect(supporters["resumed"] == 1)
        #expect(supporters["paused"] == 2)
        #expect(
            try JSONDecoder.snakeCase.decode(MonthlyReport.self, from: Data(text.utf8)) == Self.report(previous: true))

        let schemas = try SchemaValidator(
            directory: fixturesDirectory().deletingLastPathComponent().appending(path: "docs"))
        #expect(try schemas.validate(object, against: "monthly-report.schema.json") == [])
        // The schema requires the new keys: a report without them is refused.
        var old = object
        var oldUSD = usd
        var oldMRR = try #require(usd["mrr"] as? [String: Any])
        oldMRR.removeValue(forKey: "paused")
        oldUSD["mrr"] = oldMRR
        old["currencies"] = [oldUSD]
        #expect(
            try schemas.validate(old, against: "monthly-report.schema.json").contains(
                "$.currencies[0].mrr: missing paused"))
    }

    @Test("Range report: mrr_resumed, mrr_paused, supporters_resumed, supporters_paused in CSV and JSON")
    func range() throws {
        let figures = try Self.figures()
        let range = RangeReport(
            from: Self.month, to: Self.month, timeZone: .gmt, generatedAt: Date(timeIntervalSince1970: 1_796_000_000),
            months: [
                MonthlyReport.MonthFigures(
                    month: Self.month, timeZone: .gmt, currencies: [figures], reminders: MonthlyReport.Reminders())
            ])
        let lines = range.rendered(as: .csv).split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "month,time_zone,currency,payments,gross,refunds,chargebacks,fees,net,mrr_start,mrr_new,mrr_reactivated,"
                + "mrr_resumed,mrr_expansion,mrr_contraction,mrr_paused,mrr_churned,mrr_end,mrr_at_risk,arr,supporters_start,"
                + "supporters_new,supporters_reactivated,supporters_resumed,supporters_paused,supporters_churned,supporters_end"
        )
        #expect(
            lines.dropFirst().first
                == "2026-11,UTC,USD,0,0.00,0.00,0.00,0.00,0.00,121.17,5.00,0.00,7.00,2.00,0.00,30.84,3.00,101.33,0.00,"
                + "1215.96,5,1,0,1,2,1,4")
        let object = try JSONSerialization.jsonObject(with: Data(range.rendered(as: .json).utf8))
        let schemas = try SchemaValidator(
            directory: fixturesDirectory().deletingLastPathComponent().appending(path: "docs"))
        #expect(try schemas.validate(object, against: "range-report.schema.json") == [])
    }

    @Test("A movement that does not add up is flagged in every text format")
    func unbalanced() throws {
        var report = try Self.report()
        // One cent less paused than the figures need: the check must see the paused term.
        report.currencies[0].mrr.paused -= 1
        #expect(!report.currencies[0].mrr.isBalanced)
        // The table wraps the longer line; read it as one.
        let table = report.rendered(as: .table).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        #expect(table.contains("\u{2212} 30.83 \u{2212} 3.00 = 101.33 \u{2717} does not add up"))
        #expect(table.contains("MRR movement does not add up to the end figure"))
        #expect(report.rendered(as: .markdown).contains("= 101.33 \u{2717} does not add up"))
        #expect(report.rendered(as: .html).contains("= end 101.33 USD \u{2717} does not add up"))
    }

    /// Where each label first appears among `labels`, searching on from the one before.
    static func order(of wanted: [String], in labels: [String]) -> [Int?] {
        var from = 0
        return wanted.map { label in
            guard let index = labels[from...].firstIndex(where: { $0 == label || $0.hasPrefix(label + "  ") }) else {
                return nil
            }
            from = index + 1
            return index
        }
    }

    /// Whether `a + b + … − c − … = end ✓`, as printed, adds up in cents.
    static func balances(_ text: Substring) throws -> Bool {
        let parts = text.components(separatedBy: " = ")
        #expect(parts.count == 2)
        let cents = { (figure: String) throws -> Int64 in
            try #require(Int64(figure.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: ".", with: "")))
        }
        let tokens = parts[0].split(separator: " ").map(String.init)
        var total = try cents(tokens[0])
        var index = 1
        while index + 1 < tokens.count {
            let figure = try cents(tokens[index + 1])
            switch tokens[index] {
            case "+": total += figure
            case "\u{2212}": total -= figure
            default: Issue.record("not a sign: \(tokens[index])")
            }
            index += 2
        }
        #expect(tokens.count == 15, "eight figures and seven signs before the end")
        let end = try cents(String(parts[1].split(separator: " ")[0]))
        return total == end
    }
}

/// The table's width, as the renderer keeps it (TerminalTable is internal to PledgerRender).
private enum TerminalTableWidth {
    static let columns = 80
}

extension JSONDecoder {
    fileprivate static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
