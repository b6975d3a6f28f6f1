import Foundation
import PledgerCore

/// The box funnel as the monthly report's text formats show it: two small tables, one row per
/// campaign and a total row: shown → continued → pledged → paid, and remind later → confirmed →
/// converted, each step beside its rate of the step before. Left out when the box did nothing.
extension BoxFunnel {
    static let title = "Reader's box funnel"
    static let note =
        "shown, continued and remind later are counted per UTC day; each % is of the step before"

    /// Headers and cells of the pledge path, and of the reminder path.
    var grids: [(headers: [String], rows: [[String]])] {
        let lines = campaigns + (campaigns.count > 1 || campaigns.isEmpty ? [total] : [])
        let name = { (line: Line) in line.campaign ?? "total" }
        let rate = { (permille: Int64?) in Percent.plainText(permille: permille) ?? "\u{2014}" }
        let pledges = lines.map { line -> [String] in
            let c = line.counts
            let r = line.rates
            return [
                name(line), ReportText.count(c.shown), ReportText.count(c.continued), rate(r.continued),
                ReportText.count(c.pledged), rate(r.pledged), ReportText.count(c.paid), rate(r.paid),
            ]
        }
        let reminders = lines.map { line -> [String] in
            let c = line.counts
            let r = line.rates
            return [
                name(line), ReportText.count(c.remindLater), ReportText.count(c.confirmed), rate(r.confirmed),
                ReportText.count(c.converted), rate(r.converted),
            ]
        }
        return [
            (["campaign", "shown", "continued", "%", "pledged", "%", "paid", "%"], pledges),
            (["campaign", "remind later", "confirmed", "%", "converted", "%"], reminders),
        ]
    }

    /// The terminal's lines (none when the box did nothing).
    func tableLines(paint: Paint) -> [String] {
        guard !isEmpty else { return [] }
        var out = [paint.bold(Self.title)]
        out += ReportText.wrap(Self.note, width: TerminalTable.width - 2, indent: "  ").map { paint.dim("  " + $0) }
        for grid in grids {
            let columns = AlignedColumns(headers: grid.headers, rows: grid.rows)
            out.append("")
            out.append(paint.bold(columns.line(grid.headers)))
            for (index, row) in grid.rows.enumerated() {
                let isTotal = campaigns.count > 1 && index == grid.rows.count - 1
                out.append(isTotal ? paint.bold(columns.line(row)) : columns.line(row))
            }
        }
        return out
    }

    /// The Markdown lines (none when the box did nothing).
    var markdownLines: [String] {
        guard !isEmpty else { return [] }
        var out = ["## \(Self.title)", "", "_\(MonthlyReport.markdownEscaped(Self.note))_"]
        for grid in grids {
            out += [
                "", "| " + grid.headers.joined(separator: " | ") + " |",
                "|:--|" + String(repeating: "--:|", count: grid.headers.count - 1),
            ]
            out += grid.rows.map { row in
                "| " + ([MonthlyReport.markdownEscaped(row[0])] + row.dropFirst()).joined(separator: " | ") + " |"
            }
        }
        return out
    }

    /// The HTML section (empty when the box did nothing).
    var htmlSection: String {
        guard !isEmpty else { return "" }
        var html = "<section>\n<h2>\(HTML.escape(Self.title))</h2>\n<p class=\"note\">\(HTML.escape(Self.note))</p>\n"
        for grid in grids {
            html += "<table class=\"funnel\">\n<thead><tr>"
            html += grid.headers.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
            html += "</tr></thead>\n<tbody>\n"
            for (index, row) in grid.rows.enumerated() {
                let isTotal = index == grid.rows.count - 1 && campaigns.count > 1
                html +=
                    "<tr\(isTotal ? " class=\"total\"" : "")><th scope=\"row\">\(HTML.escape(row[0]))</th>"
                    + row.dropFirst().map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        return html + "</section>\n"
    }

    /// CSV rows in the monthly report's columns: section `box_funnel` for the total and
    /// `box_funnel:CAMPAIGN` for each campaign; counts in `count`, rates in `percent` (none when
    /// the box did nothing).
    func csvRows(month: String, timeZone: String) -> [String] {
        guard !isEmpty else { return [] }
        var lines: [String] = []
        for line in [total] + campaigns {
            let section = line.campaign.map { "box_funnel:" + $0 } ?? "box_funnel"
            let c = line.counts
            let r = line.rates
            let figures: [(String, Int64?, String)] = [
                ("shown", c.shown, "count"), ("continued", c.continued, "count"),
                ("continued_rate", r.continued, "percent"), ("pledged", c.pledged, "count"),
                ("pledged_rate", r.pledged, "percent"), ("paid", c.paid, "count"), ("paid_rate", r.paid, "percent"),
                ("remind_later", c.remindLater, "count"), ("confirmed", c.confirmed, "count"),
                ("confirmed_rate", r.confirmed, "percent"), ("converted", c.converted, "count"),
                ("converted_rate", r.converted, "percent"),
            ]
            for (metric, value, unit) in figures {
                let text = value.map { CSVText.plain($0, unit == "count" ? .count : .permille) } ?? ""
                lines.append(
                    [month, timeZone, "", section, metric, text, unit, "", "", ""].map(CSVText.field).joined(
                        separator: ","))
            }
        }
        return lines
    }
}
