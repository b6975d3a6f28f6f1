import Foundation
import PledgerCore

/// A supporter's giving statement as a printable page and as CSV.
extension GivingStatement {
    /// The page's words in English and Russian (the supporter's page speaks both); the CSV and the
    /// JSON stay in the file formats' own English column names.
    struct Words {
        let language: String
        let texts: [String: String]

        subscript(key: String) -> String { texts[key] ?? Self.english.texts[key] ?? key }

        static func matching(_ language: String) -> Words { language == "ru" ? russian : english }

        static let english = Words(
            language: "en",
            texts: [
                "statement": "Giving statement", "fiscal_year": "Fiscal year", "to": "to", "generated": "generated",
                "erased": "(erased)", "supporter": "supporter", "totals": "Totals",
                "nothing": "Nothing was given in this fiscal year.", "currency": "Currency", "payments": "Payments",
                "given": "Given", "refunded": "Refunded", "charged_back": "Charged back", "net": "Net given",
                "lines": "Payments, refunds and chargebacks", "date": "Date", "what": "What", "receipt": "Receipt",
                "cadence": "How often", "amount": "Amount", "gift": "gift", "refund": "refunded",
                "chargeback": "charged back", "basis": "Basis", "basis_text": GivingStatement.basisText,
            ])

        static let russian = Words(
            language: "ru",
            texts: [
                "statement": "Справка о пожертвованиях", "fiscal_year": "Финансовый год", "to": "по",
                "generated": "составлена", "erased": "(данные удалены)", "supporter": "читатель", "totals": "Итого",
                "nothing": "В этом финансовом году пожертвований не было.", "currency": "Валюта",
                "payments": "Платежей", "given": "Пожертвовано", "refunded": "Возвращено",
                "charged_back": "Оспорено", "net": "Итого пожертвовано",
                "lines": "Платежи, возвраты и оспаривания", "date": "Дата", "what": "Что", "receipt": "Квитанция",
                "cadence": "Как часто", "amount": "Сумма", "gift": "пожертвование", "refund": "возврат",
                "chargeback": "оспаривание", "basis": "Как считается",
                "basis_text":
                    "каждый платёж, возврат и оспаривание учитываются в том финансовом году (UTC), в котором записаны; "
                    + "итого = пожертвовано − возвращено − оспорено, по каждой валюте; комиссии платёжной системы "
                    + "не уменьшают пожертвованное",
            ])
    }

    /// A self-contained page to open, print or keep, in English.
    public var html: String { html(language: "en") }

    /// The same page in `language` (`en` or `ru`; any other is English): the supporter, the year,
    /// each payment and each refund or chargeback, and the totals per currency.
    public func html(language: String) -> String {
        let words = Words.matching(language)
        let who = email.map(HTML.escape) ?? "\(words["supporter"]) \(HTML.escape(supporterID)) \(words["erased"])"
        var body = """
            <header>
              <p class="eyebrow">\(words["statement"])</p>
              <h1>\(words["fiscal_year"]) \(HTML.escape(fiscalYear))</h1>
              <p class="meta">\(who) · \(HTML.escape(from)) \(words["to"]) \(HTML.escape(to)) (\(HTML.escape(timeZone))) · \(words["generated"]) \(HTML.escape(generatedAt))</p>
            </header>
            <section>
            <h2>\(words["totals"])</h2>

            """
        if currencies.isEmpty {
            body += "<p>\(words["nothing"])</p>\n"
        } else {
            let headers = ["currency", "payments", "given", "refunded", "charged_back", "net"]
            body +=
                "<table class=\"statement-totals\">\n<thead><tr>"
                + headers.map { "<th scope=\"col\">\(words[$0])</th>" }.joined() + "</tr></thead>\n<tbody>\n"
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
            let headers = ["date", "what", "receipt", "cadence", "amount"]
            body +=
                "<section>\n<h2>\(words["lines"])</h2>\n<table class=\"statement-lines\">\n<thead><tr>"
                + headers.map { "<th scope=\"col\">\(words[$0])</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for line in lines {
                let what =
                    switch line.kind {
                    case .payment: words["gift"]
                    case .refund: words["refund"]
                    case .chargeback: words["chargeback"]
                    }
                body +=
                    "<tr><th scope=\"row\">\(HTML.escape(line.date))</th><td>\(what)</td>"
                    + "<td>\(HTML.escape(line.receipt ?? "\u{2014}"))</td><td>\(HTML.escape(line.cadence.rawValue))</td>"
                    + "<td>\(HTML.escape(ReportText.amount(line.amount, line.currency))) \(HTML.escape(line.currency))</td></tr>\n"
            }
            body += "</tbody>\n</table>\n</section>\n"
        }
        body += """
            <footer><p><strong>\(words["basis"]).</strong> \(HTML.escape(words["basis_text"])).</p></footer>
            """
        return MonthlyReport.page(
            title: "\(words["statement"]) \u{2014} \(words["fiscal_year"]) \(fiscalYear)", body: body,
            language: words.language)
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
