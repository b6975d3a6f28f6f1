import Foundation
import PledgerCore

extension RenderableReport {
    /// Renders the report in `format`; `colour` adds ANSI colours to the table (callers decide:
    /// only on a terminal, never when `NO_COLOR` is set). Other formats ignore it.
    public func rendered(as format: ReportFormat, colour: Bool = false) -> String {
        switch format {
        case .json: JSONText.encode(self)
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
    /// one decimal, empty when the previous value is zero. Reminder rows have no currency, nor have
    /// the box funnel's (section `box_funnel`, and `box_funnel:CAMPAIGN` per campaign; this month only).
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
        lines += boxFunnel.csvRows(month: month, timeZone: timeZone)
        lines += cancellationReasons.csvRows(month: month, timeZone: timeZone)
        return lines.joined(separator: "\n") + "\n"
    }
}
