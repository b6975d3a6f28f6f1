import Foundation
import PledgerCore

extension MonthlyReport {
    /// The report as one self-contained HTML page — inline CSS and SVG, no script, no external
    /// asset — so it can be attached to an e-mail, opened anywhere and printed. Per currency: the
    /// headline figures with their change, a 12-month chart of net receipts and MRR, the MRR
    /// bridge, and every figure beside the previous month.
    public var html: String {
        let sheet = ReportSheet(self)
        let previousName = previous.map { ReportText.monthName($0.month) }
        var body = """
            <header>
              <p class="eyebrow">Monthly revenue report</p>
              <h1>\(HTML.escape(ReportText.monthName(month)))</h1>
              <p class="meta">\(HTML.escape(month)) in \(HTML.escape(timeZone)) · \(HTML.escape(periodStart)) – \(HTML.escape(periodEnd))\(previousName.map { " · compared with \(HTML.escape($0))" } ?? "")</p>
            </header>

            """
        if currencies.isEmpty {
            body +=
                "<p class=\"empty\">No money moved and no recurring pledge was live in this month or the one before.</p>\n"
        }
        for block in sheet.blocks {
            body += "<section>\n<h2>\(HTML.escape(block.title))</h2>\n"
            if let code = block.currency, let figures = currencies.first(where: { $0.currency == code }) {
                body += headline(figures, previousName: previousName)
                body += chart(code)
                body +=
                    "<div class=\"bridge\"><h3>MRR bridge</h3>\n"
                    + SVGChart.bridge(
                        figures.mrr, currency: code, title: "MRR movement in \(ReportText.monthName(month)), \(code)")
                    + "\n"
                    + "<p class=\"identity\">\(HTML.escape(identity(figures)))</p></div>\n"
            } else if let note = block.note {
                body += "<p class=\"note\">\(HTML.escape(note))</p>\n"
            }
            body += table(block, previousMonth: sheet.previousMonth)
            body += "</section>\n"
        }
        body += boxFunnel.htmlSection
        body += cancellationReasons.htmlSection
        body += """
            <footer>
              <p><strong>Basis.</strong> \(HTML.escape(basis)). Money is counted in each currency's minor units and never added across currencies\(converted == nil ? "" : " except in the converted totals, at the rates shown").</p>
              <p><strong>Reproduce.</strong> <code>pledger report monthly --month \(HTML.escape(month)) --tz \(HTML.escape(timeZone)) --format html</code>.
              <strong>Reconcile.</strong> <code>pledger export --format hledger --tz \(HTML.escape(timeZone)) &gt; pledger.journal</code>, then
              <code>hledger -f pledger.journal balance income expenses:fees -b \(HTML.escape(month))-01 -e \(HTML.escape(nextMonthStart))</code>: income is gross − refunds − chargebacks (as a credit), expenses:fees the fees.</p>
              <p class="generated">Generated \(HTML.escape(generatedAt)) by Pledger.</p>
            </footer>
            """
        return Self.page(title: "Monthly revenue report — \(ReportText.monthName(month))", body: body)
    }

    /// A whole HTML page around `body`, with the reports' stylesheet inline.
    static func page(title: String, body: String, language: String = "en") -> String {
        """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Pledger">
        <title>\(HTML.escape(title))</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// `YYYY-MM-01` of the month after, for the hledger command in the footer.
    private var nextMonthStart: String {
        ((try? ReportMonth.parse(month))?.next.description ?? month) + "-01"
    }

    private func identity(_ f: CurrencyFigures) -> String {
        let m = f.mrr
        let amount = { (value: Int64) in ReportText.amount(value, f.currency) }
        return
            "Start \(amount(m.start)) + new \(amount(m.new)) + reactivated \(amount(m.reactivated)) "
            + "+ resumed \(amount(m.resumed)) + expansion \(amount(m.expansion)) − contraction \(amount(m.contraction)) "
            + "− paused \(amount(m.paused)) − churned \(amount(m.churned)) = end \(amount(m.end)) \(f.currency) "
            + (m.isBalanced ? "✓" : "✗ does not add up")
    }

    /// Who joined and who left: a pause is not leaving, so paused and resumed supporters are
    /// counted apart, and named only in a month that had any.
    private func supportersDetail(_ s: SupporterCounts) -> String {
        var text =
            "recurring; \(ReportText.count(s.new + s.reactivated)) joined, \(ReportText.count(s.churned)) left"
        if s.paused != 0 || s.resumed != 0 {
            text += ", \(ReportText.count(s.paused)) paused, \(ReportText.count(s.resumed)) resumed"
        }
        return text
    }

    /// The cards at the top of a currency: net receipts, MRR, ARR, recurring supporters, MRR at risk.
    private func headline(_ f: CurrencyFigures, previousName: String?) -> String {
        let p = previous?.figures(f.currency)
        let money = ReportSheet.Unit.money(f.currency)
        let cards: [(String, Int64, Int64?, ReportSheet.Unit, ReportSheet.Tone, String)] = [
            (
                "Net receipts", f.receipts.net, p?.receipts.net, money, .upIsGood,
                "\(ReportText.count(f.receipts.payments)) payments, gross \(ReportText.amount(f.receipts.gross, f.currency))"
            ),
            (
                "MRR", f.mrr.end, p?.mrr.end, money, .upIsGood,
                "at month end; ARR \(ReportText.amount(f.arr, f.currency))"
            ),
            (
                "Supporters", f.supporters.end, p?.supporters.end, .count, .upIsGood,
                supportersDetail(f.supporters)
            ),
            (
                "MRR at risk", f.mrrAtRisk, p?.mrrAtRisk, money, .downIsGood,
                "\(ReportText.count(f.pastDuePledges)) past-due pledges"
            ),
        ]
        var html = "<div class=\"cards\">\n"
        for (label, value, before, unit, tone, detail) in cards {
            let row = ReportSheet.Row(label: label, unit: unit, current: value, previous: before, tone: tone)
            var change = ""
            if let difference = row.change, let previousName {
                let verdict = row.verdict.map { $0 == .upIsGood ? " good" : " bad" } ?? ""
                let percent = ReportText.percent(row)
                let text =
                    difference == 0
                    ? "no change from \(previousName)"
                    : "\(ReportText.change(difference, unit))\(percent == "—" ? "" : " (\(percent))") vs \(previousName)"
                change = "<p class=\"change\(verdict)\">\(HTML.escape(text))</p>"
            }
            let currency =
                if case .money(let code) = unit { " <span class=\"code\">\(HTML.escape(code))</span>" } else { "" }
            html += """
                <div class="card"><p class="label">\(HTML.escape(label))</p><p class="figure">\(HTML.escape(ReportText.value(value, unit)))\(currency)</p>\(change)<p class="detail">\(HTML.escape(detail))</p></div>

                """
        }
        return html + "</div>\n"
    }

    /// The 12-month chart of one currency.
    private func chart(_ code: String) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let points = (trend ?? []).enumerated().map { index, point in
            let parsed = try? ReportMonth.parse(point.month)
            let figures = point.currencies.first { $0.currency == code }
            let showYear = index == 0 || parsed?.month == 1
            return SVGChart.Point(
                label: parsed.map { names[$0.month - 1] } ?? point.month,
                sublabel: showYear ? parsed.map { String($0.year) } ?? "" : "",
                bar: figures?.net ?? 0, line: figures?.mrr ?? 0, highlighted: point.month == month)
        }
        guard !points.isEmpty else { return "" }
        let first = trend?.first?.month ?? month
        return "<figure class=\"trend\">\n"
            + SVGChart.trend(points, currency: code, title: "Net receipts and MRR, \(first) to \(month), \(code)")
            + "\n"
            + "<figcaption>Net receipts per month (bars) and MRR at each month's end (line), \(HTML.escape(ReportText.monthName(first))) to \(HTML.escape(ReportText.monthName(month))), \(HTML.escape(code)).</figcaption>\n</figure>\n"
    }

    /// Every figure of a block beside the previous month.
    private func table(_ block: ReportSheet.Block, previousMonth: String?) -> String {
        let hasPrevious = previousMonth != nil && block.rows.contains { $0.previous != nil }
        var html = "<table>\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">\(HTML.escape(month))</th>"
        if hasPrevious, let previousMonth {
            html +=
                "<th scope=\"col\">\(HTML.escape(previousMonth))</th><th scope=\"col\">Change</th><th scope=\"col\">%</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        let columns = hasPrevious ? 5 : 2
        for row in block.rows {
            if row.style == .section {
                html +=
                    "<tr class=\"section\"><th scope=\"rowgroup\" colspan=\"\(columns)\">\(HTML.escape(row.label))</th></tr>\n"
                continue
            }
            let classes = (row.style == .total ? ["total"] : []) + ["indent\(row.indent)"]
            html +=
                "<tr class=\"\(classes.joined(separator: " "))\"><th scope=\"row\">\(HTML.escape(row.label))</th><td>\(HTML.escape(ReportText.value(row.current, row.unit)))</td>"
            if hasPrevious {
                let verdict = row.verdict.map { $0 == .upIsGood ? " class=\"good\"" : " class=\"bad\"" } ?? ""
                html +=
                    "<td class=\"previous\">\(HTML.escape(row.previous.map { ReportText.value($0, row.unit) } ?? ""))</td>"
                html += "<td\(verdict)>\(HTML.escape(row.change.map { ReportText.change($0, row.unit) } ?? ""))</td>"
                html += "<td\(verdict)>\(HTML.escape(ReportText.percent(row)))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private static let stylesheet = """
        :root { --ink: #1d2733; --muted: #5b6875; --rule: #d9dee4; --paper: #ffffff; --wash: #f4f6f8;
                --bar: #2f7d8c; --bar-now: #1b5b67; --loss: #c2412d; --line: #d9822b; --good: #1f7a3f; --bad: #b3261e; }
        * { box-sizing: border-box; }
        html { background: var(--wash); }
        body { margin: 0; color: var(--ink); font: 15px/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
               font-variant-numeric: tabular-nums; }
        main { max-width: 880px; margin: 24px auto; background: var(--paper); padding: 36px 44px 28px; border-radius: 6px;
               box-shadow: 0 1px 3px rgba(29, 39, 51, .12); }
        header { border-bottom: 3px solid var(--ink); padding-bottom: 14px; margin-bottom: 8px; }
        .eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); font-weight: 600; }
        h1 { margin: 4px 0 6px; font-size: 32px; line-height: 1.15; }
        .meta { margin: 0; color: var(--muted); font-size: 13px; }
        section { margin-top: 30px; break-inside: avoid-page; }
        h2 { font-size: 21px; margin: 0 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 14px; margin: 18px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
        .cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 16px; }
        .card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
        .card p { margin: 0; }
        .card .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; font-weight: 600; }
        .card .figure { font-size: 22px; font-weight: 700; margin-top: 2px; white-space: nowrap; }
        .card .code { font-size: 12px; font-weight: 600; color: var(--muted); }
        .card .change { font-size: 12.5px; margin-top: 2px; color: var(--muted); }
        .card .detail { font-size: 12px; color: var(--muted); margin-top: 2px; }
        .good { color: var(--good) !important; }
        .bad { color: var(--bad) !important; }
        figure { margin: 8px 0 0; }
        figcaption { font-size: 12px; color: var(--muted); margin-top: 2px; }
        svg { width: 100%; height: auto; display: block; }
        svg text { font-family: inherit; fill: var(--muted); font-size: 11px; }
        svg .legend { fill: var(--ink); font-size: 12px; }
        svg .tick.current { fill: var(--ink); font-weight: 700; }
        svg .year { font-size: 10px; }
        svg .grid { stroke: var(--rule); stroke-width: 1; }
        svg .grid.zero { stroke: #8a96a3; }
        svg .bar { fill: var(--bar); }
        svg .bar.current { fill: var(--bar-now); }
        svg .bar.negative { fill: var(--loss); }
        svg .line { fill: none; stroke: var(--line); stroke-width: 2.5; stroke-linejoin: round; }
        svg .dot { fill: var(--paper); stroke: var(--line); stroke-width: 2; }
        svg .step { fill: #9aa5b1; }
        svg .step.total { fill: var(--bar-now); }
        svg .step.up { fill: var(--good); }
        svg .step.down { fill: var(--bad); }
        svg .connector { stroke: #8a96a3; stroke-dasharray: 3 3; }
        svg .value { fill: var(--ink); font-size: 11px; }
        .identity, .note { font-size: 13px; color: var(--muted); margin: 4px 0 10px; }
        table { width: 100%; border-collapse: collapse; margin-top: 10px; font-size: 13.5px; }
        th, td { padding: 4px 8px; border-bottom: 1px solid var(--wash); }
        thead th { text-align: right; font-size: 12px; color: var(--muted); border-bottom: 1.5px solid var(--ink); font-weight: 600; }
        thead th:first-child, tbody th { text-align: left; font-weight: 400; }
        td { text-align: right; white-space: nowrap; }
        td.previous { color: var(--muted); }
        tr.section th { font-weight: 700; padding-top: 12px; border-bottom: 1px solid var(--rule); }
        tr.total th, tr.total td:nth-child(2) { font-weight: 700; }
        tr.total td { border-top: 1px solid var(--ink); }
        tr.indent1 th { padding-left: 18px; }
        tr.indent2 th { padding-left: 34px; color: var(--muted); }
        .empty { font-size: 16px; }
        table.cohorts td { text-align: center; }
        table.funnel thead th:first-child, table.funnel tbody th { text-align: left; }
        table.sources thead th:nth-child(2) { text-align: left; }
        .heat0 { background: #f1f7f8; } .heat1 { background: #e0eff1; } .heat2 { background: #cce5e9; } .heat3 { background: #b5d9df; }
        .heat4 { background: #9ccbd3; } .heat5 { background: #80bac5; } .heat6 { background: #63a7b4; }
        .heat7 { background: #4793a2; color: #fff; } .heat8 { background: #307f8f; color: #fff; } .heat9 { background: #1b5b67; color: #fff; }
        footer { margin-top: 32px; padding-top: 12px; border-top: 1px solid var(--rule); font-size: 12px; color: var(--muted); }
        footer code { font-size: 11.5px; background: var(--wash); padding: 1px 4px; border-radius: 3px; }
        footer p { margin: 0 0 6px; }
        @media (max-width: 700px) { main { padding: 20px; } .cards { grid-template-columns: repeat(2, 1fr); } }
        @media print {
            html { background: none; }
            main { box-shadow: none; margin: 0; max-width: none; padding: 0; }
            @page { size: A4; margin: 16mm; }
            section { break-inside: auto; }
            figure, .cards, .bridge { break-inside: avoid; }
        }
        """
}
