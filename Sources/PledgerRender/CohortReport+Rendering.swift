import Foundation
import PledgerCore

extension CohortReport: RenderableReport {
    private var title: String {
        let scope =
            switch cadence {
            case .recurring: "monthly and annual pledges"
            case .monthly: "monthly pledges"
            case .annual: "annual pledges"
            }
        return "Retention by cohort \u{2014} \(scope), \(from) to \(to) (\(timeZone))"
    }

    private static let headers =
        ["cohort", "supporters"] + CohortReport.offsets.map { $0 == 1 ? "1 month" : "\($0) months" }

    private func cells(_ cohort: Cohort) -> [String] {
        [cohort.month, ReportText.count(cohort.supporters)]
            + cohort.retention.map { retention in
                guard retention.active != nil else { return "" }
                return retention.share ?? "\u{2014}"
            }
    }

    /// One row per cohort and offset: `cohort,supporters,after_months,active,share_pct`; `active` and
    /// `share_pct` are empty while the month has not ended (and the share when the cohort is empty).
    public var csv: String {
        var lines = ["cohort,cadence,time_zone,supporters,after_months,active,share_pct"]
        for cohort in cohorts {
            for retention in cohort.retention {
                let share = retention.share.map { String($0.dropLast()) } ?? ""
                lines.append(
                    [
                        cohort.month, cadence.rawValue, timeZone, String(cohort.supporters),
                        String(retention.afterMonths),
                        retention.active.map(String.init) ?? "", share,
                    ].map(CSVText.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func table(colour: Bool) -> String {
        let paint = Paint(enabled: colour)
        var out = [paint.bold(title), "Generated \(generatedAt)"]
        out += ReportText.wrap(
            "Share of each cohort with a live pledge at the end of the k-th month after the month of its first payment; blank until that month has ended.",
            width: TerminalTable.width
        ).map(paint.dim)
        out.append("")
        let rows = cohorts.map(cells)
        let columns = AlignedColumns(headers: Self.headers, rows: rows)
        let line = columns.line
        out.append(paint.bold(line(Self.headers)))
        out += rows.map(line)
        return out.joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        var out = [
            "# \(MonthlyReport.markdownEscaped(title))", "", "- **Generated:** \(generatedAt)",
            "- **Basis:** \(MonthlyReport.markdownEscaped(basis))", "",
            "| " + Self.headers.joined(separator: " | ") + " |",
            "|:--|" + String(repeating: "--:|", count: Self.headers.count - 1),
        ]
        out += cohorts.map { "| " + cells($0).joined(separator: " | ") + " |" }
        return out.joined(separator: "\n") + "\n"
    }

    /// A page with the retention table shaded like a heat map: the darker, the more retained.
    public var html: String {
        var body = """
            <header>
              <p class="eyebrow">Retention by cohort</p>
              <h1>\(HTML.escape(ReportText.monthName(from))) – \(HTML.escape(ReportText.monthName(to)))</h1>
              <p class="meta">\(HTML.escape(title)) · generated \(HTML.escape(generatedAt))</p>
            </header>
            <section>
            <table class="cohorts">
            <thead><tr>\(Self.headers.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined())</tr></thead>
            <tbody>

            """
        for cohort in cohorts {
            body +=
                "<tr><th scope=\"row\">\(HTML.escape(cohort.month))</th><td>\(HTML.escape(ReportText.count(cohort.supporters)))</td>"
            for retention in cohort.retention {
                // Ten shades, one per ten percent retained.
                let shade =
                    retention.active.flatMap { Percent.permille($0, of: cohort.supporters) }.map {
                        " class=\"heat\(min(max($0, 0) / 100, 9))\""
                    } ?? ""
                body += "<td\(shade)>\(HTML.escape(retention.active == nil ? "" : retention.share ?? "—"))</td>"
            }
            body += "</tr>\n"
        }
        body += """
            </tbody>
            </table>
            </section>
            <footer><p><strong>Basis.</strong> \(HTML.escape(basis)). Blank cells: that month has not ended yet.</p>
            <p><strong>Reproduce.</strong> <code>pledger report cohorts --cadence \(cadence.rawValue) --from \(HTML.escape(from)) --to \(HTML.escape(to)) --tz \(HTML.escape(timeZone)) --format html</code></p></footer>
            """
        return MonthlyReport.page(title: title, body: body)
    }
}
