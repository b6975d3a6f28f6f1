import Foundation
import PledgerCore
import PledgerRender
import PledgerStoreInterface

/// Renders ledger entries as an hledger journal, a Beancount file or CSV, buffering the output.
struct LedgerExportWriter {
    static let openingAccount = "equity:opening-balances"

    let format: ExportFormat
    let timeZone: TimeZone
    let write: @Sendable (String) -> Void
    /// The publisher's chart of accounts, when the export is to use it (checked to cover every account).
    let chart: AccountMap?
    private var buffer = ""
    private let calendar: Calendar

    init(
        format: ExportFormat, timeZone: TimeZone, chart: AccountMap? = nil, write: @escaping @Sendable (String) -> Void
    ) {
        self.format = format
        self.timeZone = timeZone
        self.chart = chart
        self.write = write
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    private mutating func emit(_ text: String) {
        buffer += text
        // Written in pieces of about 64 KiB: few system calls, little memory.
        if buffer.utf8.count >= 65_536 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        write(buffer)
        buffer = ""
    }

    mutating func header(generatedAt: Date, from: Date?, to: Date?) {
        let zone = timeZone.reportName
        let range =
            "transactions \(from.map { "from \(day($0))" } ?? "from the first")"
            + " \(to.map { "to \(day($0.addingTimeInterval(-0.001)))" } ?? "to the last")"
        switch format {
        case .hledger, .beancount:
            // ';' starts a comment in both formats.
            emit(
                """
                ; Pledger ledger export, generated \(Timestamp.format(generatedAt)).
                ; \(range), dated by day in \(zone). Debits positive, credits negative.
                ; \(chart == nil ? "income:donations:<cadence> is gross receipts less refunds and chargebacks; expenses:fees:<processor> the fees." : "Accounts as in the publisher's chart: each is its code and name under Pledger's root account.")


                """)
            if format == .beancount {
                emit("option \"title\" \"Pledger ledger\"\n")
            }
        case .csv:
            emit(
                "transaction_id,date,occurred_at,kind,processor,external_id,pledge_id,account,currency,amount,amount_minor"
                    + (chart == nil ? "\n" : ",account_code,account_name\n"))
        }
    }

    mutating func declare(accounts given: [(account: String, currencies: [String], firstUsed: Date)]) {
        var accounts = given
        if let chart {
            // The accountant's accounts, each declared once with every currency and its first use.
            var merged: [String: (currencies: Set<String>, firstUsed: Date)] = [:]
            var order: [String] = []
            for (account, currencies, firstUsed) in given {
                for target in chart.targets(for: account) {
                    let name = AccountMap.mappedAccount(root: account, target)
                    if merged[name] == nil { order.append(name) }
                    let known = merged[name]
                    merged[name] = (
                        (known?.currencies ?? []).union(currencies), min(known?.firstUsed ?? firstUsed, firstUsed)
                    )
                }
            }
            accounts = order.map { ($0, merged[$0]!.currencies.sorted(), merged[$0]!.firstUsed) }
        }
        switch format {
        case .hledger:
            var seen: Set<String> = []
            for currency in accounts.flatMap(\.currencies).sorted() where seen.insert(currency).inserted {
                emit(
                    "commodity \(amount(Currency(code: currency).map { $0.minorUnitsPerMajor * 1000 } ?? 1000, currency))\n"
                )
            }
            emit("\n")
            for (account, _, _) in accounts {
                let type =
                    switch account.split(separator: ":").first {
                    case "assets": "A"
                    case "liabilities": "L"
                    case "equity": "E"
                    case "income", "revenue", "revenues": "R"
                    default: "X"
                    }
                emit("account \(account)  ; type: \(type)\n")
            }
            emit("\n")
        case .beancount:
            var seen: Set<String> = []
            for currency in accounts.flatMap(\.currencies).sorted() where seen.insert(currency).inserted {
                emit("option \"operating_currency\" \"\(currency)\"\n")
            }
            emit("\n")
            for (account, currencies, firstUsed) in accounts {
                emit(
                    "\(day(firstUsed)) open \(ExportFormat.beancountAccountName(account)) \(currencies.sorted().joined(separator: ","))\n"
                )
            }
            emit("\n")
        case .csv:
            break
        }
    }

    mutating func opening(_ balances: [(account: String, currency: String, amount: Int64)], at instant: Date) {
        var lines = balances.map { LedgerEntry.Line(account: $0.account, currency: $0.currency, amount: $0.amount) }
        var totals: [String: Int64] = [:]
        for balance in balances { totals[balance.currency, default: 0] += balance.amount }
        for (currency, total) in totals.sorted(by: { $0.key < $1.key }) {
            lines.append(LedgerEntry.Line(account: Self.openingAccount, currency: currency, amount: -total))
        }
        let entry = LedgerEntry(
            id: ID("opening"), kind: "opening", processor: "pledger", externalID: "opening-balances",
            occurredAt: instant,
            pledgeID: nil, lines: lines)
        transaction(entry, description: "opening balances")
    }

    /// The account a posting is exported under: Pledger's, or the chart's for its kind of transaction.
    private func account(_ line: LedgerEntry.Line, kind: String) -> String {
        guard let chart, let target = chart.target(for: line.account, kind: kind) else { return line.account }
        return AccountMap.mappedAccount(root: line.account, target)
    }

    mutating func transaction(_ entry: LedgerEntry, description: String? = nil) {
        let date = day(entry.occurredAt)
        let at = Timestamp.format(entry.occurredAt)
        switch format {
        case .hledger:
            let text = description ?? "\(entry.kind) \(Self.plain(entry.externalID))"
            var tags = ["kind:\(entry.kind)", "id:\(entry.id)", "at:\(at)"]
            if let pledge = entry.pledgeID { tags.append("pledge:\(Self.tagValue(pledge.rawValue))") }
            emit("\(date) * \(Self.plain(entry.processor)) | \(text)  ; \(tags.joined(separator: ", "))\n")
            let names = entry.lines.map { account($0, kind: entry.kind) }
            let width = names.map(\.count).max() ?? 0
            for (line, name) in zip(entry.lines, names) {
                let value = amount(line.amount, line.currency)
                emit(
                    "    \(name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(String(repeating: " ", count: max(0, 16 - value.count)))\(value)\n"
                )
            }
            emit("\n")
        case .beancount:
            let text = description ?? "\(entry.kind) \(entry.externalID)"
            emit("\(date) * \(Self.quoted(entry.processor)) \(Self.quoted(text))\n")
            emit(
                "  pledger-id: \(Self.quoted(entry.id.rawValue))\n  kind: \(Self.quoted(entry.kind))\n  at: \(Self.quoted(at))\n"
            )
            if description == nil { emit("  external-id: \(Self.quoted(entry.externalID))\n") }
            if let pledge = entry.pledgeID { emit("  pledge: \(Self.quoted(pledge.rawValue))\n") }
            let accounts = entry.lines.map { ExportFormat.beancountAccountName(account($0, kind: entry.kind)) }
            let width = accounts.map(\.count).max() ?? 0
            for (line, account) in zip(entry.lines, accounts) {
                let value = amount(line.amount, line.currency)
                emit(
                    "  \(account.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(String(repeating: " ", count: max(0, 16 - value.count)))\(value)\n"
                )
            }
            emit("\n")
        case .csv:
            for line in entry.lines {
                let major =
                    Currency(code: line.currency).map { Money(minorUnits: line.amount, currency: $0).decimalString }
                    ?? String(line.amount)
                let fields = [
                    entry.id.rawValue, date, at, entry.kind, entry.processor, entry.externalID,
                    entry.pledgeID?.rawValue ?? "",
                    line.account, line.currency, major, String(line.amount),
                ]
                let target = chart?.target(for: line.account, kind: entry.kind)
                let mapped = chart == nil ? [] : [target?.code ?? "", target?.name ?? ""]
                emit((fields + mapped).map(CSVText.field).joined(separator: ",") + "\n")
            }
        }
    }

    /// `YYYY-MM-DD` of `instant` in the export's zone.
    private func day(_ instant: Date) -> String {
        ReportDay.containing(instant, in: timeZone).description
    }

    /// "-10.00 USD": decimal major units, ASCII minus, no grouping; both tools read it.
    private func amount(_ minorUnits: Int64, _ code: String) -> String {
        let text =
            Currency(code: code).map { Money(minorUnits: minorUnits, currency: $0).decimalString } ?? String(minorUnits)
        return "\(text) \(code)"
    }

    /// Text safe on an hledger description line: no comment start, no line break, no control character.
    private static func plain(_ text: String) -> String {
        String(
            text.map { $0 == ";" || $0 == "|" || $0.isNewline || ($0.asciiValue.map { $0 < 32 } ?? false) ? " " : $0 })
    }

    /// An hledger tag value ends at a comma.
    private static func tagValue(_ text: String) -> String {
        plain(text).replacingOccurrences(of: ",", with: " ")
    }

    /// A Beancount string literal.
    private static func quoted(_ text: String) -> String {
        "\"" + plain(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
