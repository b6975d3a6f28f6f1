import Foundation
import PledgerCore

extension LapsedReport: RenderableReport {
    private var yearName: String { FiscalYear(year: year, startMonth: fiscalYearStart).description }
    private var title: String { "Lapsed supporters \u{2014} fiscal year \(yearName) (\(from) to \(to), \(timeZone))" }

    private static func label(_ category: Category) -> String {
        switch category {
        case .lybunt: "LYBUNT"
        case .sybunt: "SYBUNT"
        }
    }

    private static let summaryHeaders = ["currency", "group", "supporters", "last gift year given", "lifetime given"]
    private static let listHeaders = [
        "group", "currency", "supporter", "e-mail", "last gift year", "given then", "lifetime",
    ]

    private var summaryRows: [[String]] {
        currencies.flatMap { figures in
            [(Category.lybunt, figures.lybunt), (.sybunt, figures.sybunt)].map { category, group in
                [
                    figures.currency, Self.label(category), ReportText.count(group.supporters),
                    ReportText.amount(group.lastGiftYearGiven, figures.currency),
                    ReportText.amount(group.lifetimeGiven, figures.currency),
                ]
            }
        }
    }

    private var listRows: [[String]] {
        supporters.map { supporter in
            [
                Self.label(supporter.category), supporter.currency, supporter.id, supporter.email ?? "(erased)",
                FiscalYear(year: supporter.lastGiftYear, startMonth: fiscalYearStart).description,
                ReportText.amount(supporter.lastGiftYearGiven, supporter.currency),
                ReportText.amount(supporter.lifetimeGiven, supporter.currency),
            ]
        }
    }

    /// Per currency and group, a `summary` row; then a `supporter` row per lapsed supporter:
    /// `year,fiscal_year_start,row,category,currency,supporter_id,email,supporters,last_gift_year,last_gift_year_given,lifetime_given`.
    /// Money is in decimal major units.
    public var csv: String {
        var out = [
            "year,fiscal_year_start,row,category,currency,supporter_id,email,supporters,last_gift_year,last_gift_year_given,lifetime_given"
        ]
        let head = [String(year), String(format: "%02d", fiscalYearStart)]
        func money(_ value: Int64, _ code: String) -> String { CSVText.plain(value, .money(code)) }
        for figures in currencies {
            for (category, group) in [(Category.lybunt, figures.lybunt), (.sybunt, figures.sybunt)] {
                out.append(
                    (head + [
                        "summary", category.rawValue, figures.currency, "", "", String(group.supporters), "",
                        money(group.lastGiftYearGiven, figures.currency), money(group.lifetimeGiven, figures.currency),
                    ]).map(CSVText.field).joined(separator: ","))
            }
        }
        for supporter in supporters {
            out.append(
                (head + [
                    "supporter", supporter.category.rawValue, supporter.currency, supporter.id, supporter.email ?? "",
                    "1", String(supporter.lastGiftYear), money(supporter.lastGiftYearGiven, supporter.currency),
                    money(supporter.lifetimeGiven, supporter.currency),
                ]).map(CSVText.field).joined(separator: ","))
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func table(colour: Bool) -> String {
        let paint = Paint(enabled: colour)
        var out = [paint.bold(title), "Generated \(generatedAt)"]
        out += ReportText.wrap(basis + ".", width: TerminalTable.width).map(paint.dim)
        out.append("")
        if currencies.isEmpty {
            out.append("No lapsed supporters.")
            return out.joined(separator: "\n") + "\n"
        }
        let summary = AlignedColumns(headers: Self.summaryHeaders, rows: summaryRows)
        out.append(paint.bold(summary.line(Self.summaryHeaders)))
        out += summaryRows.map(summary.line)
        out.append("")
        let list = AlignedColumns(headers: Self.listHeaders, rows: listRows)
        out.append(paint.bold(list.line(Self.listHeaders)))
        out += listRows.map(list.line)
        return out.joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        func table(_ headers: [String], _ rows: [[String]]) -> [String] {
            [
                "| " + headers.joined(separator: " | ") + " |",
                "|:--|:--|" + String(repeating: "--:|", count: headers.count - 2),
            ] + rows.map { "| " + $0.map(MonthlyReport.markdownEscaped).joined(separator: " | ") + " |" }
        }
        var out = [
            "# \(MonthlyReport.markdownEscaped(title))", "", "- **Generated:** \(generatedAt)",
            "- **Basis:** \(MonthlyReport.markdownEscaped(basis))", "",
        ]
        if currencies.isEmpty {
            out.append("No lapsed supporters.")
        } else {
            out += table(Self.summaryHeaders, summaryRows)
            out.append("")
            out += table(Self.listHeaders, listRows)
        }
        return out.joined(separator: "\n") + "\n"
    }

    public var html: String {
        func table(_ headers: [String], _ rows: [[String]], leading: Int) -> String {
            var text =
                "<table>\n<thead><tr>" + headers.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
                + "</tr></thead>\n<tbody>\n"
            for row in rows {
                text +=
                    "<tr>" + row.prefix(leading).map { "<th scope=\"row\">\(HTML.escape($0))</th>" }.joined()
                    + row.dropFirst(leading).map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
            }
            return text + "</tbody>\n</table>\n"
        }
        var body = """
            <header>
              <p class="eyebrow">Lapsed supporters</p>
              <h1>Fiscal year \(HTML.escape(yearName))</h1>
              <p class="meta">\(HTML.escape(title)) · generated \(HTML.escape(generatedAt))</p>
            </header>
            <section>

            """
        if currencies.isEmpty {
            body += "<p>No lapsed supporters.</p>\n"
        } else {
            body += "<h2>By currency</h2>\n" + table(Self.summaryHeaders, summaryRows, leading: 2)
            body += "<h2>Supporters</h2>\n" + table(Self.listHeaders, listRows, leading: 1)
        }
        body += """
            </section>
            <footer><p><strong>Basis.</strong> \(HTML.escape(basis)).</p>
            <p><strong>Reproduce.</strong> <code>pledger report lapsed --year \(year) --fiscal-year-start \(String(format: "%02d", fiscalYearStart)) --format html</code></p></footer>
            """
        return MonthlyReport.page(title: title, body: body)
    }
}
