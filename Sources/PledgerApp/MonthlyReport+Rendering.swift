import Foundation
import PledgerCore

/// The report's output formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, csv
}

extension MonthlyReport {
    /// Renders the report in `format`.
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .json: Views.json(self)
        case .csv: csv
        case .table: table
        }
    }

    /// The report's rows: section, metric, and either money (minor units) or a count.
    private func rows(for figures: CurrencyFigures) -> [(section: String, metric: String, money: Int64?, count: Int64?)] {
        let r = figures.receipts, p = figures.pledges, m = figures.mrr
        return [
            ("receipts", "payments", nil, r.payments),
            ("receipts", "gross", r.gross, nil),
            ("receipts", "one_off", r.oneOff, nil),
            ("receipts", "monthly", r.monthly, nil),
            ("receipts", "annual", r.annual, nil),
            ("receipts", "refunds", r.refunds, nil),
            ("receipts", "chargebacks", r.chargebacks, nil),
            ("receipts", "fees", r.fees, nil),
            ("receipts", "net", r.net, nil),
            ("receipts", "paying_supporters", nil, r.payingSupporters),
            ("pledges", "created_one_off", nil, p.createdOneOff),
            ("pledges", "created_monthly", nil, p.createdMonthly),
            ("pledges", "created_annual", nil, p.createdAnnual),
            ("pledges", "activated", nil, p.activated),
            ("pledges", "cancelled", nil, p.cancelled),
            ("pledges", "upgraded", nil, p.upgraded),
            ("pledges", "downgraded", nil, p.downgraded),
            ("mrr", "start", m.start, nil),
            ("mrr", "new", m.new, nil),
            ("mrr", "reactivated", m.reactivated, nil),
            ("mrr", "expansion", m.expansion, nil),
            ("mrr", "contraction", m.contraction, nil),
            ("mrr", "churned", m.churned, nil),
            ("mrr", "end", m.end, nil),
            ("arr", "arr", figures.arr, nil),
        ]
    }

    private var reminderRows: [(String, Int64)] {
        [("scheduled", reminders.scheduled), ("deferred", reminders.deferred), ("sent", reminders.sent), ("converted", reminders.converted)]
    }

    /// One row per figure: `month,time_zone,currency,section,metric,value,unit`. Money values are
    /// decimal major units (`46.00`) with the currency as unit, so a spreadsheet reads them as numbers.
    var csv: String {
        var lines = ["month,time_zone,currency,section,metric,value,unit"]
        for figures in currencies {
            let currency = Currency(code: figures.currency)
            for row in rows(for: figures) {
                if let money = row.money {
                    let value = currency.map { Money(minorUnits: money, currency: $0).decimalString } ?? String(money)
                    lines.append("\(month),\(timeZone),\(figures.currency),\(row.section),\(row.metric),\(value),\(figures.currency)")
                } else {
                    lines.append("\(month),\(timeZone),\(figures.currency),\(row.section),\(row.metric),\(row.count ?? 0),count")
                }
            }
        }
        for (metric, value) in reminderRows {
            lines.append("\(month),\(timeZone),,reminders,\(metric),\(value),count")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A terminal table: one block per currency, then reminders.
    var table: String {
        var out = "Monthly revenue report — \(month) (\(timeZone))\n"
        out += "Period \(periodStart) – \(periodEnd), generated \(generatedAt)\n"
        if currencies.isEmpty {
            out += "\nNo money moved and no recurring pledge was live in this month.\n"
        }
        for figures in currencies {
            let currency = Currency(code: figures.currency)
            func money(_ value: Int64) -> String {
                currency.map { Money(minorUnits: value, currency: $0).grouped } ?? "\(value) \(figures.currency)"
            }
            func minus(_ value: Int64) -> String { value == 0 ? money(0) : "−" + money(value) }
            let r = figures.receipts, p = figures.pledges, m = figures.mrr
            var lines: [(String, String)] = [
                ("Receipts", ""),
                ("  payments", "\(r.payments)"),
                ("  gross", money(r.gross)),
                ("    one-off", money(r.oneOff)),
                ("    monthly", money(r.monthly)),
                ("    annual", money(r.annual)),
                ("  refunds", minus(r.refunds)),
                ("  chargebacks", minus(r.chargebacks)),
                ("  fees", minus(r.fees)),
                ("  net", money(r.net)),
                ("  paying supporters", "\(r.payingSupporters)"),
                ("Pledges", ""),
                ("  new one-off / monthly / annual", "\(p.createdOneOff) / \(p.createdMonthly) / \(p.createdAnnual)"),
                ("  activated", "\(p.activated)"),
                ("  cancelled", "\(p.cancelled)"),
                ("  upgraded / downgraded", "\(p.upgraded) / \(p.downgraded)"),
                ("MRR", ""),
                ("  start", money(m.start)),
                ("  + new", money(m.new)),
                ("  + reactivated", money(m.reactivated)),
                ("  + expansion", money(m.expansion)),
                ("  − contraction", money(m.contraction)),
                ("  − churned", money(m.churned)),
                ("  = end", money(m.end)),
                ("ARR (12 × MRR)", money(figures.arr)),
            ]
            if !m.isBalanced { lines.append(("  (movement does not add up!)", "")) }
            out += "\n" + figures.currency + "\n" + Self.align(lines)
        }
        out += "\nReminders\n" + Self.align(reminderRows.map { ("  \($0.0)", "\($0.1)") })
        return out
    }

    private static func align(_ lines: [(String, String)]) -> String {
        let left = lines.map(\.0.count).max() ?? 0
        let right = lines.map(\.1.count).max() ?? 0
        return lines.map { label, value in
            value.isEmpty ? label + "\n"
                : label.padding(toLength: left + 2, withPad: " ", startingAt: 0)
                    + String(repeating: " ", count: right - value.count) + value + "\n"
        }.joined()
    }
}
