import Foundation
import PledgerCore

extension MonthlyReport {
    /// The report as GitHub-flavoured Markdown: a heading, the basis, and one table per currency
    /// with the previous month and the change beside each figure (for a wiki page or a ticket).
    public var markdown: String {
        let sheet = ReportSheet(self)
        var out = [
            "# Monthly revenue report \u{2014} \(ReportText.monthName(month))",
            "",
            "- **Month:** \(month) (time zone \(timeZone))",
            "- **Period:** \(periodStart) \u{2013} \(periodEnd)",
            "- **Generated:** \(generatedAt)",
            "- **Basis:** \(Self.markdownEscaped(basis))",
        ]
        if currencies.isEmpty {
            out += ["", "No money moved and no recurring pledge was live in this month or the one before."]
        }
        for block in sheet.blocks {
            out += ["", "## \(Self.markdownEscaped(block.title))", ""]
            if let note = block.note { out += ["_\(Self.markdownEscaped(note))_", ""] }
            let previous = sheet.previousMonth.flatMap { month in
                block.rows.contains { $0.previous != nil } ? month : nil
            }
            out.append("| Figure | \(month) |" + (previous.map { " \($0) | Change | % |" } ?? ""))
            out.append("|:--|--:|" + (previous == nil ? "" : "--:|--:|--:|"))
            for row in block.rows {
                // Em spaces, because Markdown keeps them where it collapses plain ones.
                let indent = String(repeating: "\u{2003}", count: max(0, row.indent - 1))
                if row.style == .section {
                    out.append("| **\(row.label)** | |" + (previous == nil ? "" : " | | |"))
                    continue
                }
                let bold = { (text: String) in row.style == .total && !text.isEmpty ? "**\(text)**" : text }
                var cells = [
                    indent + bold(Self.markdownEscaped(row.label)), bold(ReportText.value(row.current, row.unit)),
                ]
                if previous != nil {
                    cells.append(row.previous.map { ReportText.value($0, row.unit) } ?? "")
                    cells.append(row.change.map { ReportText.change($0, row.unit) } ?? "")
                    cells.append(ReportText.percent(row))
                }
                out.append("| " + cells.joined(separator: " | ") + " |")
            }
            if let code = block.currency, let figures = currencies.first(where: { $0.currency == code }) {
                let m = figures.mrr
                let amount = { (value: Int64) in ReportText.amount(value, code) }
                out += [
                    "",
                    "MRR identity: \(amount(m.start)) + \(amount(m.new)) + \(amount(m.reactivated)) + \(amount(m.resumed)) "
                        + "+ \(amount(m.expansion)) \u{2212} \(amount(m.contraction)) \u{2212} \(amount(m.paused)) "
                        + "\u{2212} \(amount(m.churned)) = \(amount(m.end)) \(m.isBalanced ? "\u{2713}" : "\u{2717} does not add up")",
                ]
            }
        }
        let funnel = boxFunnel.markdownLines
        if !funnel.isEmpty { out += [""] + funnel }
        let reasons = cancellationReasons.markdownLines
        if !reasons.isEmpty { out += [""] + reasons }
        return out.joined(separator: "\n") + "\n"
    }

    /// Escapes the characters Markdown would read as table cells or emphasis.
    static func markdownEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "|*_`[]<>\\".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
