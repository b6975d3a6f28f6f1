import Foundation
import PledgerCore

/// The report's output formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, csv, markdown, html

    /// The media type to serve a rendering with.
    public var contentType: String {
        switch self {
        case .table: "text/plain; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }
}

/// A report that renders in every ``ReportFormat``: each format's text, and one switch that picks it.
public protocol RenderableReport: Encodable {
    /// One row per figure, for spreadsheets.
    var csv: String { get }
    var markdown: String { get }
    /// A self-contained page.
    var html: String { get }
    /// The terminal table; `colour` adds ANSI emphasis.
    func table(colour: Bool) -> String
}

extension RenderableReport {
    /// Renders the report in `format`; `colour` adds ANSI colours to the table (callers decide:
    /// only on a terminal, never when `NO_COLOR` is set). Other formats ignore it.
    public func rendered(as format: ReportFormat, colour: Bool = false) -> String {
        switch format {
        case .json: Views.json(self)
        case .csv: csv
        case .table: table(colour: colour)
        case .markdown: markdown
        case .html: html
        }
    }
}

extension MonthlyReport: RenderableReport {
    public func table(colour: Bool) -> String {
        TerminalTable.render(ReportSheet(self), colour: colour)
    }

    /// One row per figure: `month,time_zone,currency,section,metric,value,unit,previous_value,change,change_pct`.
    /// Money values are decimal major units (`46.00`) with the currency as unit, so a spreadsheet
    /// reads them as numbers; counts have unit `count`; the conversion rate is in `percent`, its
    /// change in percentage points. `change_pct` is the change in percent of the previous value,
    /// one decimal, empty when the previous value is zero. Reminder rows have no currency.
    public var csv: String {
        var lines = ["month,time_zone,currency,section,metric,value,unit,previous_value,change,change_pct"]
        let sheet = ReportSheet(self)
        for block in sheet.blocks {
            for row in block.rows {
                guard let (section, metric) = row.csv else { continue }
                let unit: String
                switch row.unit {
                case .money(let code): unit = code
                case .count: unit = "count"
                case .permille: unit = "percent"
                }
                let change = row.change.map { CSVText.plain($0, row.unit) } ?? ""
                let percent =
                    row.unit == .permille
                    ? ""
                    : row.previous.flatMap { Percent.changePermille(from: $0, to: row.current) }
                        .map { CSVText.plain($0, .permille) } ?? ""
                let fields = [
                    month, timeZone, block.currency ?? "", section, metric, CSVText.plain(row.current, row.unit), unit,
                    row.previous.map { CSVText.plain($0, row.unit) } ?? "", change, percent,
                ]
                lines.append(fields.map(CSVText.field).joined(separator: ","))
            }
        }
        for rate in converted?.rates ?? [] {
            let unit = "\(converted!.currency) per \(rate.currency)"
            lines.append(
                [month, timeZone, rate.currency, "rates", "rate", rate.rate, unit, "", "", ""].map(CSVText.field)
                    .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Plain values for CSV: ASCII minus, no grouping, so spreadsheets read them as numbers.
enum CSVText {
    static func plain(_ value: Int64, _ unit: ReportSheet.Unit) -> String {
        switch unit {
        case .money(let code):
            Currency(code: code).map { Money(minorUnits: value, currency: $0).decimalString } ?? String(value)
        case .count: String(value)
        case .permille: String(Percent.plainText(permille: value)!.dropLast())
        }
    }

    /// Quotes a field that holds a comma, a quote or a line break (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The report as an aligned terminal table that fits 80 columns: each currency in its own
/// block, every figure beside the previous month with the change and the change in percent.
enum TerminalTable {
    /// The width a line must not pass (with figures below ten billion).
    static let width = 80

    static func render(_ sheet: ReportSheet, colour: Bool) -> String {
        let paint = Paint(enabled: colour)
        let report = sheet.report
        var out: [String] = []
        out.append(
            paint.bold(
                "Monthly revenue report \u{2014} \(ReportText.monthName(report.month)) (\(report.month), \(report.timeZone))"
            ))
        out.append("Period \(report.periodStart) \u{2013} \(report.periodEnd)")
        out.append("Generated \(report.generatedAt)")
        out += ReportText.wrap("Basis: " + report.basis + ".", width: width).map(paint.dim)
        if report.currencies.isEmpty {
            out.append("")
            out.append("No money moved and no recurring pledge was live in this month or the one before.")
        }
        for block in sheet.blocks {
            out.append("")
            out += render(block, current: report.month, previous: sheet.previousMonth, paint: paint)
            if block.currency != nil, let figures = report.currencies.first(where: { $0.currency == block.currency }) {
                out += identity(figures, paint: paint)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func render(_ block: ReportSheet.Block, current: String, previous: String?, paint: Paint) -> [String]
    {
        let hasPrevious = previous != nil && block.rows.contains { $0.previous != nil }
        let cells = block.rows.map { row -> [String] in
            guard row.style != .section else { return [] }
            var cells = [ReportText.value(row.current, row.unit)]
            if hasPrevious {
                cells.append(row.previous.map { ReportText.value($0, row.unit) } ?? "")
                cells.append(row.change.map { ReportText.change($0, row.unit) } ?? "")
                cells.append(ReportText.percent(row))
            }
            return cells
        }
        let headers = hasPrevious ? [current, previous!, "change", "%"] : [current]
        var widths = headers.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        // The label column takes what the figures leave of 80 columns, within reason.
        let figuresWidth = widths.reduce(0) { $0 + $1 + 2 }
        let labelWidth = max(20, min(30, width - figuresWidth))
        func line(
            _ label: String, _ values: [String], style: (String) -> String = { $0 }, tones: [(String) -> String]? = nil
        ) -> String {
            var text = style(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0))
            for (index, value) in values.enumerated() {
                let padded = String(repeating: " ", count: max(0, widths[index] - value.count)) + value
                text += "  " + (tones?[index](padded) ?? padded)
            }
            return text
        }
        var lines = [line(block.title, headers, style: paint.bold, tones: headers.map { _ in paint.bold })]
        if let note = block.note {
            lines += ReportText.wrap(note, width: width - 2, indent: "  ").map { paint.dim("  " + $0) }
        }
        for (row, values) in zip(block.rows, cells) {
            let label = String(repeating: "  ", count: row.indent) + row.label
            if row.style == .section {
                lines.append(paint.bold(label))
                continue
            }
            let verdict = row.verdict
            let tone = { (text: String) -> String in
                switch verdict {
                case .upIsGood: paint.green(text)
                case .downIsGood: paint.red(text)
                default: text
                }
            }
            let total = row.style == .total
            let emphasis = { (text: String) -> String in total ? paint.bold(text) : text }
            lines.append(line(label, values, style: emphasis, tones: [emphasis, paint.dim, tone, tone]))
        }
        return lines
    }

    /// The MRR identity with the month's own figures, checked: start + new + reactivated +
    /// expansion − contraction − churned = end.
    private static func identity(_ f: MonthlyReport.CurrencyFigures, paint: Paint) -> [String] {
        let m = f.mrr
        let amount = { (value: Int64) in ReportText.amount(value, f.currency) }
        let check = m.isBalanced ? "\u{2713}" : "\u{2717} does not add up"
        let text =
            "MRR: \(amount(m.start)) + \(amount(m.new)) + \(amount(m.reactivated)) + \(amount(m.expansion)) "
            + "\u{2212} \(amount(m.contraction)) \u{2212} \(amount(m.churned)) = \(amount(m.end)) \(check)"
        return ReportText.wrap(text, width: width - 2, indent: "    ").map { paint.dim("  " + $0) }
    }
}

/// ANSI colour, or nothing when it is off.
struct Paint {
    let enabled: Bool

    private func wrap(_ code: String, _ text: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { wrap("1", text) }
    func dim(_ text: String) -> String { wrap("2", text) }
    func green(_ text: String) -> String { wrap("32", text) }
    func red(_ text: String) -> String { wrap("31", text) }
}
