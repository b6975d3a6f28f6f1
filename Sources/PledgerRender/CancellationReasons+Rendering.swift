import Foundation
import PledgerCore

/// The monthly report's "Why supporters cancelled" section in each format; nothing in the text
/// formats for a month without a cancel request (JSON always carries every reason).
extension CancellationReasons {
    static let title = "Why supporters cancelled"

    private var rows: [[String]] {
        reasons.map { [$0.reason, ReportText.count($0.requested), ReportText.count($0.confirmed)] }
    }

    private static let headers = ["reason", "requested", "confirmed"]

    func tableLines(paint: Paint) -> [String] {
        guard !isEmpty else { return [] }
        let columns = AlignedColumns(headers: Self.headers, rows: rows)
        return [paint.bold(Self.title)]
            + ReportText.wrap(Self.note, width: TerminalTable.width - 2, indent: "  ").map { paint.dim("  " + $0) }
            + ["", paint.bold(columns.line(Self.headers))] + rows.map(columns.line)
    }

    var markdownLines: [String] {
        guard !isEmpty else { return [] }
        return [
            "## \(Self.title)", "", "_\(MonthlyReport.markdownEscaped(Self.note))_", "",
            "| reason | requested | confirmed |", "|:--|--:|--:|",
        ]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }
    }

    var htmlSection: String {
        guard !isEmpty else { return "" }
        var html = "<section>\n<h2>\(HTML.escape(Self.title))</h2>\n<p class=\"note\">\(HTML.escape(Self.note))</p>\n"
        html +=
            "<table class=\"funnel\">\n<thead><tr>"
            + Self.headers.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            html +=
                "<tr><th scope=\"row\">\(HTML.escape(row[0]))</th>"
                + row.dropFirst().map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    /// CSV rows in the monthly report's columns: section `cancellation_reasons`, metric
    /// `REASON_requested` and `REASON_confirmed`, unit `count`.
    func csvRows(month: String, timeZone: String) -> [String] {
        guard !isEmpty else { return [] }
        return reasons.flatMap { line in
            [("requested", line.requested), ("confirmed", line.confirmed)].map { metric, value in
                [
                    month, timeZone, "", "cancellation_reasons", "\(line.reason)_\(metric)",
                    CSVText.plain(value, .count), "count", "", "", "",
                ].map(CSVText.field).joined(separator: ",")
            }
        }
    }
}
