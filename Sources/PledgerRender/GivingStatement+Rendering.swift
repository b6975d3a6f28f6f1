import Foundation
import PledgerCore

/// A supporter's giving statement as a printable page and as CSV.
extension GivingStatement {
    private var title: String { "Giving statement \u{2014} fiscal year \(fiscalYear)" }

    private static func kindLabel(_ kind: Entry.Kind) -> String {
        switch kind {
        case .payment: "gift"
        case .refund: "refunded"
        case .chargeback: "charged back"
        }
    }

    /// A self-contained page to open, print or keep: the supporter, the year, each payment and
    /// each refund or chargeback, and the totals per currency.
    public var html: String {
        let who = email.map(HTML.escape) ?? "supporter \(HTML.escape(supporterID)) (erased)"
        var body = """
            <header>
              <p class="eyebrow">Giving statement</p>
              <h1>Fiscal year \(HTML.escape(fiscalYear))</h1>
              <p class="meta">\(who) · \(HTML.escape(from)) to \(HTML.escape(to)) (\(HTML.escape(timeZone))) · generated \(HTML.escape(generatedAt))</p>
            </header>
            <section>
            <h2>Totals</h2>

            """
        if currencies.isEmpty {
            body += "<p>Nothing was given in this fiscal year.</p>\n"
        } else {
            body += """
                <table class="statement-totals">
                <thead><tr><th scope="col">Currency</th><th scope="col">Payments</th><th scope="col">Given</th><th scope="col">Refunded</th><th scope="col">Charged back</th><th scope="col">Net given</th></tr></thead>
                <tbody>

                """
            for total in currencies {
                let cells = [
                    ReportText.count(total.payments), ReportText.amount(total.gross, total.currency),
                    ReportText.amount(total.refunded, total.currency),
                    ReportText.amount(total.chargedBack, total.currency),
                ]
                body +=
                    "<tr class=\"total\"><th scope=\"row\">\(HTML.escape(total.currency))</th>"
                    + cells.map { "<td>\(HTML.escape($0))</td>" }.joined()
                    + "<td><strong>\(HTML.escape(ReportText.amount(total.net, total.currency)))</strong></td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        body += "</section>\n"
        if !lines.isEmpty {
            body += """
                <section>
                <h2>Payments, refunds and chargebacks</h2>
                <table class="statement-lines">
                <thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col">Receipt</th><th scope="col">How often</th><th scope="col">Amount</th></tr></thead>
                <tbody>

                """
            for line in lines {
                body +=
                    "<tr><th scope=\"row\">\(HTML.escape(line.date))</th><td>\(Self.kindLabel(line.kind))</td>"
                    + "<td>\(HTML.escape(line.receipt ?? "\u{2014}"))</td><td>\(HTML.escape(line.cadence.rawValue))</td>"
                    + "<td>\(HTML.escape(ReportText.amount(line.amount, line.currency))) \(HTML.escape(line.currency))</td></tr>\n"
            }
            body += "</tbody>\n</table>\n</section>\n"
        }
        body += """
            <footer><p><strong>Basis.</strong> \(HTML.escape(basis)).</p></footer>
            """
        return MonthlyReport.page(title: title, body: body)
    }

    /// One row per payment, refund or chargeback, then one `total` row per currency:
    /// `supporter_id,email,fiscal_year,from,to,row,date,kind,receipt,payment_id,cadence,currency,amount,gross,refunded,charged_back,net`.
    /// Amounts are decimal major units (refunds and chargebacks negative); a total row leaves the
    /// line's columns empty and fills gross, refunded, charged back and net.
    public var csv: String {
        var out = [
            "supporter_id,email,fiscal_year,from,to,row,date,kind,receipt,payment_id,cadence,currency,amount,gross,refunded,charged_back,net"
        ]
        let head = [supporterID, email ?? "", fiscalYear, from, to]
        for line in lines {
            out.append(
                (head + [
                    "line", line.date, line.kind.rawValue, line.receipt ?? "", line.paymentID, line.cadence.rawValue,
                    line.currency, Self.plain(line.amount, line.currency), "", "", "", "",
                ]).map(CSVText.field).joined(separator: ","))
        }
        for total in currencies {
            out.append(
                (head + [
                    "total", "", "", "", "", "", total.currency, "", Self.plain(total.gross, total.currency),
                    Self.plain(total.refunded, total.currency), Self.plain(total.chargedBack, total.currency),
                    Self.plain(total.net, total.currency),
                ]).map(CSVText.field).joined(separator: ","))
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func plain(_ minorUnits: Int64, _ code: String) -> String {
        CSVText.plain(minorUnits, .money(code))
    }
}
