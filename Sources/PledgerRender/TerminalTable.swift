import Foundation
import PledgerCore

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
        let funnel = report.boxFunnel.tableLines(paint: paint)
        if !funnel.isEmpty { out += [""] + funnel }
        let reasons = report.cancellationReasons.tableLines(paint: paint)
        if !reasons.isEmpty { out += [""] + reasons }
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

    /// The MRR identity with the month's own figures, checked: start + new + reactivated + resumed +
    /// expansion − contraction − paused − churned = end.
    private static func identity(_ f: MonthlyReport.CurrencyFigures, paint: Paint) -> [String] {
        let m = f.mrr
        let amount = { (value: Int64) in ReportText.amount(value, f.currency) }
        let check = m.isBalanced ? "\u{2713}" : "\u{2717} does not add up"
        let text =
            "MRR: \(amount(m.start)) + \(amount(m.new)) + \(amount(m.reactivated)) + \(amount(m.resumed)) "
            + "+ \(amount(m.expansion)) \u{2212} \(amount(m.contraction)) \u{2212} \(amount(m.paused)) "
            + "\u{2212} \(amount(m.churned)) = \(amount(m.end)) \(check)"
        return ReportText.wrap(text, width: width - 2, indent: "    ").map { paint.dim("  " + $0) }
    }
}
