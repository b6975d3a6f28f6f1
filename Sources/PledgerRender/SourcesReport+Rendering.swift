import Foundation
import PledgerCore

/// The sources report in every format: per currency, the articles and the campaigns of the box
/// ranked by new MRR, then receipts, and the box's total.
extension SourcesReport: RenderableReport {
    private var title: String {
        "Box sources \u{2014} \(ReportText.monthName(month)) (\(month), \(timeZone))"
    }

    private static let emptyText = "The box brought no pledge, no payment and no reminder in this month."

    private static let headers = ["#", "new pledges", "new MRR", "receipts", "payments"]

    /// One currency's rankings: (heading, first column's header, rows of cells); the total last.
    private func sections(_ code: String) -> [(String, String, [[String]])] {
        let cells = { (source: Source) -> [String] in
            [
                String(source.rank), source.name, ReportText.count(source.newPledges),
                ReportText.amount(source.newMrr, code), ReportText.amount(source.receipts, code),
                ReportText.count(source.payments),
            ]
        }
        let total = totals.first { $0.currency == code }.map { total in
            [
                "", "all", ReportText.count(total.newPledges), ReportText.amount(total.newMrr, code),
                ReportText.amount(total.receipts, code), ReportText.count(total.payments),
            ]
        }
        return [
            ("By article", "page", pages.filter { $0.currency == code }.map(cells) + (total.map { [$0] } ?? [])),
            (
                "By campaign", "campaign",
                campaigns.filter { $0.currency == code }.map(cells) + (total.map { [$0] } ?? [])
            ),
        ]
    }

    private static let reminderHeading = "Remind me later, by article (all currencies)"
    private static let reminderHeaders = ["#", "page", "remind later", "confirmed", "converted"]

    private var reminderRows: [[String]] {
        reminders.map {
            [
                String($0.rank), $0.pagePath, ReportText.count($0.remindLater), ReportText.count($0.confirmed),
                ReportText.count($0.converted),
            ]
        }
    }

    /// Header cells in display order: rank, name, then the figures.
    private static func header(_ name: String) -> [String] {
        [headers[0], name] + headers.dropFirst()
    }

    public func table(colour: Bool) -> String {
        let paint = Paint(enabled: colour)
        var out = [paint.bold(title), "Period \(periodStart) \u{2013} \(periodEnd)", "Generated \(generatedAt)"]
        out += ReportText.wrap("Basis: " + basis + ".", width: TerminalTable.width).map(paint.dim)
        if isEmpty {
            out += ["", Self.emptyText]
        }
        for code in currencyCodes {
            out += ["", paint.bold(code)]
            for (heading, name, rows) in sections(code) {
                let headers = Self.header(name)
                // The rank first and right-aligned, then the name left-aligned.
                let columns = AlignedColumns(
                    headers: headers.dropFirst().map { $0 }, rows: rows.map { Array($0.dropFirst()) })
                let rankWidth = rows.map { $0[0].count }.max() ?? 1
                let line = { (cells: [String]) in
                    String(repeating: " ", count: max(0, rankWidth - cells[0].count)) + cells[0] + "  "
                        + columns.line(Array(cells.dropFirst()))
                }
                out += ["", paint.dim(heading), paint.bold(line(headers))]
                for (index, row) in rows.enumerated() {
                    out.append(index == rows.count - 1 ? paint.bold(line(row)) : line(row))
                }
            }
        }
        if !reminders.isEmpty {
            let columns = AlignedColumns(headers: Self.reminderHeaders, rows: reminderRows)
            out += ["", paint.bold(Self.reminderHeading), paint.bold(columns.line(Self.reminderHeaders))]
            out += reminderRows.map(columns.line)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One row per place in a ranking, one per currency for the total, and one per page for "remind me
    /// later": `month,time_zone,ranking,rank,source,currency,new_pledges,new_mrr,receipts,payments,
    /// remind_later,confirmed,converted`. `ranking` is `page`, `campaign`, `total` (the money columns
    /// filled, money in decimal major units of `currency`) or `reminders` (no currency; the last three filled).
    public var csv: String {
        var lines = [
            "month,time_zone,ranking,rank,source,currency,new_pledges,new_mrr,receipts,payments,remind_later,confirmed,converted"
        ]
        func row(_ ranking: String, _ rank: String, _ source: String, _ code: String, _ figures: [Int64]) -> String {
            let money = ReportSheet.Unit.money(code)
            return [
                month, timeZone, ranking, rank, source, code, String(figures[0]), CSVText.plain(figures[1], money),
                CSVText.plain(figures[2], money), String(figures[3]), "", "", "",
            ].map(CSVText.field).joined(separator: ",")
        }
        for (ranking, sources) in [("page", pages), ("campaign", campaigns)] {
            for source in sources {
                lines.append(
                    row(
                        ranking, String(source.rank), source.name, source.currency,
                        [source.newPledges, source.newMrr, source.receipts, source.payments]))
            }
        }
        for total in totals {
            lines.append(
                row("total", "", "", total.currency, [total.newPledges, total.newMrr, total.receipts, total.payments]))
        }
        for page in reminders {
            lines.append(
                [
                    month, timeZone, "reminders", String(page.rank), page.pagePath, "", "", "", "", "",
                    String(page.remindLater), String(page.confirmed), String(page.converted),
                ].map(CSVText.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        var out = [
            "# \(MonthlyReport.markdownEscaped(title))", "",
            "- **Period:** \(periodStart) \u{2013} \(periodEnd)",
            "- **Generated:** \(generatedAt)",
            "- **Basis:** \(MonthlyReport.markdownEscaped(basis))",
        ]
        if isEmpty { out += ["", Self.emptyText] }
        for code in currencyCodes {
            out += ["", "## \(code)"]
            for (heading, name, rows) in sections(code) {
                let headers = Self.header(name)
                out += [
                    "", "### \(heading)", "", "| " + headers.joined(separator: " | ") + " |",
                    "|--:|:--|" + String(repeating: "--:|", count: headers.count - 2),
                ]
                for (index, row) in rows.enumerated() {
                    let escaped = [row[0], MonthlyReport.markdownEscaped(row[1])] + row.dropFirst(2)
                    let cells = index == rows.count - 1 ? escaped.map { $0.isEmpty ? $0 : "**\($0)**" } : escaped
                    out.append("| " + cells.joined(separator: " | ") + " |")
                }
            }
        }
        if !reminders.isEmpty {
            out += [
                "", "## \(Self.reminderHeading)", "", "| " + Self.reminderHeaders.joined(separator: " | ") + " |",
                "|--:|:--|--:|--:|--:|",
            ]
            out += reminderRows.map { row in
                "| " + ([row[0], MonthlyReport.markdownEscaped(row[1])] + row.dropFirst(2)).joined(separator: " | ")
                    + " |"
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A self-contained page: per currency, both rankings as tables.
    public var html: String {
        var body = """
            <header>
              <p class="eyebrow">Box sources</p>
              <h1>\(HTML.escape(ReportText.monthName(month)))</h1>
              <p class="meta">\(HTML.escape(month)) in \(HTML.escape(timeZone)) · \(HTML.escape(periodStart)) – \(HTML.escape(periodEnd))</p>
            </header>

            """
        if isEmpty { body += "<p class=\"empty\">\(HTML.escape(Self.emptyText))</p>\n" }
        for code in currencyCodes {
            body += "<section>\n<h2>\(HTML.escape(code))</h2>\n"
            for (heading, name, rows) in sections(code) {
                body += "<h3>\(HTML.escape(heading))</h3>\n<table class=\"sources\">\n<thead><tr>"
                body += Self.header(name).map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
                body += "</tr></thead>\n<tbody>\n"
                for (index, row) in rows.enumerated() {
                    body +=
                        "<tr\(index == rows.count - 1 ? " class=\"total\"" : "")><td>\(HTML.escape(row[0]))</td><th scope=\"row\">\(HTML.escape(row[1]))</th>"
                        + row.dropFirst(2).map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
                }
                body += "</tbody>\n</table>\n"
            }
            body += "</section>\n"
        }
        if !reminders.isEmpty {
            body += "<section>\n<h2>\(HTML.escape(Self.reminderHeading))</h2>\n<table class=\"sources\">\n<thead><tr>"
            body += Self.reminderHeaders.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
            body += "</tr></thead>\n<tbody>\n"
            for row in reminderRows {
                body +=
                    "<tr><td>\(HTML.escape(row[0]))</td><th scope=\"row\">\(HTML.escape(row[1]))</th>"
                    + row.dropFirst(2).map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
            }
            body += "</tbody>\n</table>\n</section>\n"
        }
        body += """
            <footer>
              <p><strong>Basis.</strong> \(HTML.escape(basis)).</p>
              <p><strong>Reproduce.</strong> <code>pledger report sources --month \(HTML.escape(month)) --tz \(HTML.escape(timeZone)) --format html</code></p>
              <p class="generated">Generated \(HTML.escape(generatedAt)) by Pledger.</p>
            </footer>
            """
        return MonthlyReport.page(title: title, body: body)
    }
}
