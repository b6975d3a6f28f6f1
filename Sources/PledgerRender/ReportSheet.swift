import Foundation
import PledgerCore

/// The monthly report laid out once for every human-readable format (table, Markdown, HTML) and
/// for CSV: blocks of rows, each figure beside the previous month with the change. The formats
/// differ only in how they draw it, so they can never disagree on a figure.
struct ReportSheet {
    /// Whether a rise is good news (more receipts), bad news (more refunds), or neither.
    enum Tone {
        case upIsGood, downIsGood, neutral
    }

    enum Style {
        /// A heading inside a block ("Receipts").
        case section
        case figure
        /// A total the eye should find (net, MRR at the end).
        case total
    }

    enum Unit: Equatable {
        case money(String)
        case count
        /// Tenths of a percent (a rate); its change is in percentage points.
        case permille
    }

    struct Row {
        var label: String
        var style: Style = .figure
        var indent = 0
        var unit: Unit = .count
        var current: Int64 = 0
        var previous: Int64?
        var tone: Tone = .upIsGood
        /// Where the figure goes in CSV (`section`, `metric`); nil for rows CSV leaves out.
        var csv: (section: String, metric: String)?

        static func heading(_ label: String) -> Row {
            Row(label: label, style: .section)
        }

        /// The difference from the previous month, nil when there is no previous month.
        var change: Int64? {
            guard let previous else { return nil }
            let (difference, overflow) = current.subtractingReportingOverflow(previous)
            return overflow ? nil : difference
        }

        /// Whether the change is good news, bad news, or neither (for colour).
        var verdict: Tone? {
            guard let previous, previous != current, tone != .neutral else { return nil }
            let rose = current > previous
            return rose == (tone == .upIsGood) ? .upIsGood : .downIsGood
        }
    }

    struct Block {
        var title: String
        /// The currency the block's money is in, when it has one.
        var currency: String?
        var note: String?
        var rows: [Row]
    }

    let report: MonthlyReport
    var blocks: [Block] = []

    var previousMonth: String? { report.previous?.month }

    init(_ report: MonthlyReport) {
        self.report = report
        let previous = report.previous
        for figures in report.currencies {
            blocks.append(
                Self.currencyBlock(figures, previous: previous?.figures(figures.currency), hasPrevious: previous != nil)
            )
        }
        if let converted = report.converted {
            blocks.append(Self.convertedBlock(converted, previous: previous?.converted, hasPrevious: previous != nil))
        }
        blocks.append(Self.reminderBlock(report.reminders, previous: previous?.reminders))
    }

    private static func currencyBlock(
        _ f: MonthlyReport.CurrencyFigures, previous p: MonthlyReport.CurrencyFigures?, hasPrevious: Bool
    ) -> Block {
        let money = Unit.money(f.currency)
        func row(
            _ label: String, _ indent: Int, _ unit: Unit, _ value: (MonthlyReport.CurrencyFigures) -> Int64,
            _ section: String, _ metric: String, tone: Tone = .upIsGood, style: Style = .figure
        ) -> Row {
            Row(
                label: label, style: style, indent: indent, unit: unit, current: value(f), previous: p.map(value),
                tone: tone, csv: (section, metric))
        }
        let rows: [Row] = [
            .heading("Receipts"),
            row("payments", 1, .count, { $0.receipts.payments }, "receipts", "payments"),
            row("gross", 1, money, { $0.receipts.gross }, "receipts", "gross"),
            row("one-off", 2, money, { $0.receipts.oneOff }, "receipts", "one_off"),
            row("monthly", 2, money, { $0.receipts.monthly }, "receipts", "monthly"),
            row("annual", 2, money, { $0.receipts.annual }, "receipts", "annual"),
            row("less refunds", 1, money, { $0.receipts.refunds }, "receipts", "refunds", tone: .downIsGood),
            row(
                "less chargebacks", 1, money, { $0.receipts.chargebacks }, "receipts", "chargebacks", tone: .downIsGood),
            row("less fees", 1, money, { $0.receipts.fees }, "receipts", "fees", tone: .downIsGood),
            row("net", 1, money, { $0.receipts.net }, "receipts", "net", style: .total),
            row("paying supporters", 1, .count, { $0.receipts.payingSupporters }, "receipts", "paying_supporters"),
            .heading("Pledges"),
            row("new one-off", 1, .count, { $0.pledges.createdOneOff }, "pledges", "created_one_off"),
            row("new monthly", 1, .count, { $0.pledges.createdMonthly }, "pledges", "created_monthly"),
            row("new annual", 1, .count, { $0.pledges.createdAnnual }, "pledges", "created_annual"),
            row("activated", 1, .count, { $0.pledges.activated }, "pledges", "activated"),
            row("cancelled", 1, .count, { $0.pledges.cancelled }, "pledges", "cancelled", tone: .downIsGood),
            row("upgraded", 1, .count, { $0.pledges.upgraded }, "pledges", "upgraded"),
            row("downgraded", 1, .count, { $0.pledges.downgraded }, "pledges", "downgraded", tone: .downIsGood),
            .heading("MRR"),
            row("start", 1, money, { $0.mrr.start }, "mrr", "start"),
            row("+ new", 1, money, { $0.mrr.new }, "mrr", "new"),
            row("+ reactivated", 1, money, { $0.mrr.reactivated }, "mrr", "reactivated"),
            row("+ resumed", 1, money, { $0.mrr.resumed }, "mrr", "resumed"),
            row("+ expansion", 1, money, { $0.mrr.expansion }, "mrr", "expansion"),
            row("\u{2212} contraction", 1, money, { $0.mrr.contraction }, "mrr", "contraction", tone: .downIsGood),
            row("\u{2212} paused", 1, money, { $0.mrr.paused }, "mrr", "paused", tone: .downIsGood),
            row("\u{2212} churned", 1, money, { $0.mrr.churned }, "mrr", "churned", tone: .downIsGood),
            row("= end", 1, money, { $0.mrr.end }, "mrr", "end", style: .total),
            row("at risk (past due)", 1, money, { $0.mrrAtRisk }, "mrr", "at_risk", tone: .downIsGood),
            row("past-due pledges", 1, .count, { $0.pastDuePledges }, "mrr", "past_due_pledges", tone: .downIsGood),
            row("ARR (12 \u{00D7} MRR)", 0, money, { $0.arr }, "arr", "arr", style: .total),
            .heading("Recurring supporters"),
            row("at the start", 1, .count, { $0.supporters.start }, "supporters", "start"),
            row("at the end", 1, .count, { $0.supporters.end }, "supporters", "end", style: .total),
            row("new", 1, .count, { $0.supporters.new }, "supporters", "new"),
            row("reactivated", 1, .count, { $0.supporters.reactivated }, "supporters", "reactivated"),
            row("resumed", 1, .count, { $0.supporters.resumed }, "supporters", "resumed"),
            row("upgraded", 1, .count, { $0.supporters.expanded }, "supporters", "expanded"),
            row("downgraded", 1, .count, { $0.supporters.contracted }, "supporters", "contracted", tone: .downIsGood),
            row("paused", 1, .count, { $0.supporters.paused }, "supporters", "paused", tone: .downIsGood),
            row("churned", 1, .count, { $0.supporters.churned }, "supporters", "churned", tone: .downIsGood),
        ]
        let identity = f.mrr.isBalanced ? nil : "MRR movement does not add up to the end figure"
        return Block(
            title: f.currency, currency: f.currency, note: identity,
            rows: rows.map { row in
                var row = row
                // With no previous month at all there is nothing to show beside the figure.
                if !hasPrevious { row.previous = nil }
                return row
            })
    }

    private static func convertedBlock(_ c: ConvertedTotals, previous p: ConvertedTotals?, hasPrevious: Bool) -> Block {
        let money = Unit.money(c.currency)
        func row(
            _ label: String, _ indent: Int, _ value: (ConvertedTotals) -> Int64, _ metric: String,
            tone: Tone = .upIsGood, style: Style = .figure
        ) -> Row {
            Row(
                label: label, style: style, indent: indent, unit: money, current: value(c), previous: p.map(value),
                tone: tone, csv: ("converted", metric))
        }
        let rates =
            c.rates.isEmpty
            ? "no conversion needed"
            : "rates: "
                + c.rates.map { "1 \($0.currency) = \($0.rate) \(c.currency) (\($0.date))" }.joined(separator: ", ")
        let missing =
            hasPrevious && p == nil ? "; the previous month is left out: the rates file has no rates for it" : ""
        return Block(
            title: "All currencies in \(c.currency)", currency: c.currency, note: rates + missing,
            rows: [
                row("gross", 1, { $0.gross }, "gross"),
                row("less refunds", 1, { $0.refunds }, "refunds", tone: .downIsGood),
                row("less chargebacks", 1, { $0.chargebacks }, "chargebacks", tone: .downIsGood),
                row("less fees", 1, { $0.fees }, "fees", tone: .downIsGood),
                row("net", 1, { $0.net }, "net", style: .total),
                row("MRR at the end", 1, { $0.mrr }, "mrr", style: .total),
                row("at risk (past due)", 1, { $0.mrrAtRisk }, "mrr_at_risk", tone: .downIsGood),
                row("ARR (12 \u{00D7} MRR)", 1, { $0.arr }, "arr"),
            ])
    }

    private static func reminderBlock(_ r: MonthlyReport.Reminders, previous p: MonthlyReport.Reminders?) -> Block {
        func row(_ label: String, _ value: (MonthlyReport.Reminders) -> Int64, _ metric: String, tone: Tone = .upIsGood)
            -> Row
        {
            Row(
                label: label, indent: 1, unit: .count, current: value(r), previous: p.map(value), tone: tone,
                csv: ("reminders", metric))
        }
        var rows = [
            row("scheduled", { $0.scheduled }, "scheduled"),
            row("deferred", { $0.deferred }, "deferred", tone: .neutral),
            row("sent", { $0.sent }, "sent"),
            row("converted", { $0.converted }, "converted"),
        ]
        // Shown only when the month had reminders scheduled: a rate of nothing is not 0%.
        if let rate = Percent.permille(r.converted, of: r.scheduled) {
            let previous = p.flatMap { Percent.permille($0.converted, of: $0.scheduled) }
            rows.append(
                Row(
                    label: "conversion rate", style: .total, indent: 1, unit: .permille, current: rate,
                    previous: previous, csv: ("reminders", "conversion_rate")))
        }
        return Block(
            title: "Reminders", note: "all currencies; conversion rate = converted \u{00F7} scheduled in the month",
            rows: rows)
    }
}
