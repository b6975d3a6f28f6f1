import Foundation
import PledgerCore

extension RangeReport: RenderableReport {
    /// One row per month and currency, `{name, value}` pairs in column order: the columns of the table and of CSV.
    private func columns(_ f: MonthlyReport.CurrencyFigures) -> [(String, Int64, ReportSheet.Unit)] {
        let money = ReportSheet.Unit.money(f.currency)
        return [
            ("payments", f.receipts.payments, .count),
            ("gross", f.receipts.gross, money),
            ("refunds", f.receipts.refunds, money),
            ("chargebacks", f.receipts.chargebacks, money),
            ("fees", f.receipts.fees, money),
            ("net", f.receipts.net, money),
            ("mrr_start", f.mrr.start, money),
            ("mrr_new", f.mrr.new, money),
            ("mrr_reactivated", f.mrr.reactivated, money),
            ("mrr_resumed", f.mrr.resumed, money),
            ("mrr_expansion", f.mrr.expansion, money),
            ("mrr_contraction", f.mrr.contraction, money),
            ("mrr_paused", f.mrr.paused, money),
            ("mrr_churned", f.mrr.churned, money),
            ("mrr_end", f.mrr.end, money),
            ("mrr_at_risk", f.mrrAtRisk, money),
            ("arr", f.arr, money),
            ("supporters_start", f.supporters.start, .count),
            ("supporters_new", f.supporters.new, .count),
            ("supporters_reactivated", f.supporters.reactivated, .count),
            ("supporters_resumed", f.supporters.resumed, .count),
            ("supporters_paused", f.supporters.paused, .count),
            ("supporters_churned", f.supporters.churned, .count),
            ("supporters_end", f.supporters.end, .count),
        ]
    }

    /// Each currency's months, oldest first, with zeros for a month in which nothing happened in it.
    private func series(_ code: String) -> [(MonthlyReport.MonthFigures, MonthlyReport.CurrencyFigures)] {
        months.map { ($0, $0.figures(code)) }
    }

    /// One row per month and currency:
    /// `month,time_zone,currency,payments,gross,refunds,chargebacks,fees,net,mrr_start,…,supporters_end`,
    /// money in decimal major units of the row's currency, counts as integers.
    public var csv: String {
        let names = columns(.zero("USD")).map(\.0)
        var lines = [(["month", "time_zone", "currency"] + names).joined(separator: ",")]
        for code in currencyCodes {
            for (month, figures) in series(code) {
                let values = columns(figures).map { CSVText.plain($0.1, $0.2) }
                lines.append(([month.month, timeZone, code] + values).map(CSVText.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The columns people read at a glance.
    private func glance(_ f: MonthlyReport.CurrencyFigures) -> [String] {
        [
            ReportText.count(f.receipts.payments), ReportText.amount(f.receipts.gross, f.currency),
            ReportText.amount(f.receipts.net, f.currency),
            ReportText.amount(f.mrr.end, f.currency), ReportText.count(f.supporters.end),
            ReportText.count(f.supporters.new + f.supporters.reactivated), ReportText.count(f.supporters.churned),
        ]
    }

    private static let glanceHeaders = ["payments", "gross", "net", "MRR", "active", "new", "churned"]

    public func table(colour: Bool) -> String {
        let paint = Paint(enabled: colour)
        var out = [
            paint.bold("Revenue by month \u{2014} \(from) to \(to) (\(timeZone))"),
            "Generated \(generatedAt)",
        ]
        out += ReportText.wrap(
            "Active: recurring supporters at the month's end; new includes returning ones. Basis: \(basis).",
            width: TerminalTable.width
        ).map(paint.dim)
        if currencyCodes.isEmpty { out += ["", "No money moved and no recurring pledge was live in these months."] }
        for code in currencyCodes {
            let rows = series(code).map { [$0.0.month] + glance($0.1) }
            let headers = ["month"] + Self.glanceHeaders
            let line = AlignedColumns(headers: headers, rows: rows).line
            out += ["", paint.bold(code), paint.bold(line(headers))]
            out += rows.map(line)
        }
        return out.joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        var out = [
            "# Revenue by month \u{2014} \(from) to \(to)", "", "- **Time zone:** \(timeZone)",
            "- **Generated:** \(generatedAt)",
            "- **Basis:** \(MonthlyReport.markdownEscaped(basis))",
            "- **Active:** recurring supporters at the month's end; new includes returning ones",
        ]
        for code in currencyCodes {
            out += [
                "", "## \(code)", "", "| Month | " + Self.glanceHeaders.joined(separator: " | ") + " |",
                "|:--|" + String(repeating: "--:|", count: Self.glanceHeaders.count),
            ]
            out += series(code).map { "| \($0.0.month) | " + glance($0.1).joined(separator: " | ") + " |" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public var html: String {
        let title = "Revenue by month, \(ReportText.monthName(from)) to \(ReportText.monthName(to))"
        var body = """
            <header>
              <p class="eyebrow">Revenue by month</p>
              <h1>\(HTML.escape(ReportText.monthName(from))) – \(HTML.escape(ReportText.monthName(to)))</h1>
              <p class="meta">Time zone \(HTML.escape(timeZone)) · generated \(HTML.escape(generatedAt))</p>
            </header>

            """
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for code in currencyCodes {
            let points = series(code).enumerated().map { index, pair in
                let parsed = try? ReportMonth.parse(pair.0.month)
                return SVGChart.Point(
                    label: parsed.map { names[$0.month - 1] } ?? pair.0.month,
                    sublabel: index == 0 || parsed?.month == 1 ? parsed.map { String($0.year) } ?? "" : "",
                    bar: pair.1.receipts.net, line: pair.1.mrr.end, highlighted: false)
            }
            body +=
                "<section>\n<h2>\(HTML.escape(code))</h2>\n<figure class=\"trend\">\n"
                + SVGChart.trend(points, currency: code, title: "\(title), \(code)") + "\n"
                + "<figcaption>Net receipts per month (bars) and MRR at each month's end (line), \(HTML.escape(code)).</figcaption>\n</figure>\n"
            body +=
                "<table>\n<thead><tr><th scope=\"col\">Month</th>"
                + Self.glanceHeaders.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
                + "</tr></thead>\n<tbody>\n"
            for (month, figures) in series(code) {
                body +=
                    "<tr><th scope=\"row\">\(HTML.escape(month.month))</th>"
                    + glance(figures).map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
            }
            body += "</tbody>\n</table>\n</section>\n"
        }
        body += """
            <footer>
              <p><strong>Basis.</strong> \(HTML.escape(basis)). Active: recurring supporters at the month's end; new includes returning ones.</p>
              <p><strong>Reproduce.</strong> <code>pledger report range --from \(HTML.escape(from)) --to \(HTML.escape(to)) --tz \(HTML.escape(timeZone)) --format html</code></p>
            </footer>
            """
        return MonthlyReport.page(title: title, body: body)
    }
}
