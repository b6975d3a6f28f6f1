import Foundation
import PledgerCore
import PledgerStore

/// The ledger export formats.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// An hledger journal (also read by Ledger): accounts as Pledger names them.
    case hledger
    /// A Beancount file: accounts capitalised as Beancount requires (`Income:Donations:Monthly`).
    case beancount
    /// One row per posting.
    case csv

    /// Pledger's `income:donations:one_off` as Beancount's `Income:Donations:One-off`: the five
    /// root names capitalised (anything else goes under `Equity`), each part starting with a
    /// capital, `_` and other signs as `-`.
    public static func beancountAccountName(_ account: String) -> String {
        var parts = account.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let roots = [
            "assets": "Assets", "liabilities": "Liabilities", "equity": "Equity", "income": "Income",
            "revenue": "Income", "expenses": "Expenses",
        ]
        if let root = roots[parts[0].lowercased()] {
            parts[0] = root
        } else {
            parts.insert("Equity", at: 0)
        }
        return parts.enumerated().map { index, part in
            guard index > 0 else { return part }
            var component = String(part.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
            if component.isEmpty || !(component.first!.isLetter || component.first!.isNumber) {
                component = "X" + component
            }
            return component.prefix(1).uppercased() + component.dropFirst()
        }.joined(separator: ":")
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var transactions = 0
    /// Whether an opening-balances transaction was written (an export with a start date).
    public var openingBalances = false
}

extension Pledger {
    /// Writes the ledger's transactions that happened from `from` (inclusive) to `to` (exclusive)
    /// in `format`, oldest first, passing the text to `write` in pieces — the ledger is streamed,
    /// never loaded whole. Dates are days in `timeZone`, so an hledger balance over a month's days
    /// matches the monthly report in the same zone. With a start date, the asset balances before
    /// it open the export as one transaction against `equity:opening-balances`.
    public func exportLedger(
        as format: ExportFormat, from: Date? = nil, to: Date? = nil, timeZone: TimeZone = .gmt,
        write: @escaping @Sendable (String) -> Void
    ) async throws -> ExportSummary {
        let now = clock.now
        return try await store.read { session in
            var writer = LedgerWriter(format: format, timeZone: timeZone, write: write)
            writer.header(generatedAt: now, from: from, to: to)
            let opening = try from.map { try session.balances(before: $0, prefix: "assets:") } ?? []
            var accounts = try session.ledgerAccounts(before: to)
            if !opening.isEmpty, !accounts.contains(where: { $0.account == LedgerWriter.openingAccount }) {
                let currencies = Array(Set(opening.map(\.currency))).sorted()
                accounts.append((LedgerWriter.openingAccount, currencies, from!))
            }
            writer.declare(accounts: accounts)
            var summary = ExportSummary()
            if let from, !opening.isEmpty {
                writer.opening(opening, at: from)
                summary.openingBalances = true
            }
            try session.forEachLedgerEntry(from: from, to: to) { entry in
                writer.transaction(entry)
                summary.transactions += 1
            }
            writer.flush()
            return summary
        }
    }
}

/// Renders ledger entries as an hledger journal, a Beancount file or CSV, buffering the output.
struct LedgerWriter {
    static let openingAccount = "equity:opening-balances"

    let format: ExportFormat
    let timeZone: TimeZone
    let write: @Sendable (String) -> Void
    private var buffer = ""
    private let calendar: Calendar

    init(format: ExportFormat, timeZone: TimeZone, write: @escaping @Sendable (String) -> Void) {
        self.format = format
        self.timeZone = timeZone
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
                ; income:donations:<cadence> is gross receipts less refunds and chargebacks; expenses:fees:<processor> the fees.


                """)
            if format == .beancount {
                emit("option \"title\" \"Pledger ledger\"\n")
            }
        case .csv:
            emit(
                "transaction_id,date,occurred_at,kind,processor,external_id,pledge_id,account,currency,amount,amount_minor\n"
            )
        }
    }

    mutating func declare(accounts: [(account: String, currencies: [String], firstUsed: Date)]) {
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
            id: "opening", kind: "opening", processor: "pledger", externalID: "opening-balances", occurredAt: instant,
            pledgeID: nil, lines: lines)
        transaction(entry, description: "opening balances")
    }

    mutating func transaction(_ entry: LedgerEntry, description: String? = nil) {
        let date = day(entry.occurredAt)
        let at = Timestamp.format(entry.occurredAt)
        switch format {
        case .hledger:
            let text = description ?? "\(entry.kind) \(Self.plain(entry.externalID))"
            var tags = ["kind:\(entry.kind)", "id:\(entry.id)", "at:\(at)"]
            if let pledge = entry.pledgeID { tags.append("pledge:\(Self.tagValue(pledge))") }
            emit("\(date) * \(Self.plain(entry.processor)) | \(text)  ; \(tags.joined(separator: ", "))\n")
            let width = entry.lines.map(\.account.count).max() ?? 0
            for line in entry.lines {
                let value = amount(line.amount, line.currency)
                emit(
                    "    \(line.account.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(String(repeating: " ", count: max(0, 16 - value.count)))\(value)\n"
                )
            }
            emit("\n")
        case .beancount:
            let text = description ?? "\(entry.kind) \(entry.externalID)"
            emit("\(date) * \(Self.quoted(entry.processor)) \(Self.quoted(text))\n")
            emit(
                "  pledger-id: \(Self.quoted(entry.id))\n  kind: \(Self.quoted(entry.kind))\n  at: \(Self.quoted(at))\n"
            )
            if description == nil { emit("  external-id: \(Self.quoted(entry.externalID))\n") }
            if let pledge = entry.pledgeID { emit("  pledge: \(Self.quoted(pledge))\n") }
            let accounts = entry.lines.map { ExportFormat.beancountAccountName($0.account) }
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
                    entry.id, date, at, entry.kind, entry.processor, entry.externalID, entry.pledgeID ?? "",
                    line.account, line.currency, major, String(line.amount),
                ]
                emit(fields.map(CSVText.field).joined(separator: ",") + "\n")
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
