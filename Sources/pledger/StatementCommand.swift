import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerRender

/// How a statement is written: a printable page, a spreadsheet, or JSON for scripts.
enum StatementFormat: String, ExpressibleByArgument, CaseIterable {
    case html, csv, json

    func render(_ statement: GivingStatement) -> String {
        switch self {
        case .html: statement.html
        case .csv: statement.csv
        case .json: JSONText.encode(statement) + "\n"
        }
    }
}

/// What both statement commands say about the year they cover.
private let statementDiscussion = """
    A fiscal year is named by the calendar year it starts in: --year 2026 --fiscal-year-start 04 runs from \
    2026-04-01 to 2027-03-31; the default start, 01, makes it the calendar year. Its bounds are midnight UTC, \
    like receipt numbers. Every payment, refund and chargeback counts in the fiscal year in which it was booked \
    (a refund in January of a December gift lowers January's year); per currency, net = given − refunded − \
    charged back. Fees are the publisher's cost and are not deducted.
    """

/// `pledger statement`: one supporter's giving statement for a fiscal year.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "One supporter's giving statement for a fiscal year, per currency, refunds and chargebacks netted.",
        discussion: statementDiscussion)
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The supporter's e-mail.") var email: String
    @Option(help: "The fiscal year, named by the calendar year it starts in.") var year: String
    @Option(help: ArgumentHelp("The month the fiscal year starts in, 01 to 12.", valueName: "MM"))
    var fiscalYearStart: String = "01"
    @Option(help: "html, csv or json.") var format: StatementFormat = .html
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?

    func run() async throws {
        let fiscalYear = try FiscalYear.parse(year: year, startMonth: fiscalYearStart)
        let statement = try await ledger.openExisting().statements.statement(email: email, year: fiscalYear)
        let text = format.render(statement)
        guard let out else { return printOut(text) }
        do {
            try text.write(to: URL(fileURLWithPath: out), atomically: true, encoding: .utf8)
        } catch {
            throw PledgerError.invalid("out", "cannot write \(out): \((error as NSError).localizedDescription)")
        }
    }
}

/// `pledger statements`: every supporter's statement for a fiscal year, as files.
struct StatementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statements",
        abstract: "A giving statement, HTML and CSV, for every supporter with money booked in a fiscal year.",
        discussion: statementDiscussion + """

            Writes statement-YEAR-SUPPORTER_ID.html and .csv into --out (created if missing) for every supporter \
            with a payment, refund or chargeback booked in the year, so that together the statements hold all \
            of the year's giving; an erased supporter's statement names only their id. Prints how many were \
            written and the net per currency (what the ledger's donation income, less refunds and chargebacks, \
            shows for the year). A progress line is drawn on a terminal.
            """)
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The fiscal year, named by the calendar year it starts in.") var year: String
    @Option(help: ArgumentHelp("The month the fiscal year starts in, 01 to 12.", valueName: "MM"))
    var fiscalYearStart: String = "01"
    @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir")) var out: String

    func run() async throws {
        let fiscalYear = try FiscalYear.parse(year: year, startMonth: fiscalYearStart)
        let statements = try await ledger.openExisting().statements.statements(year: fiscalYear)
        let directory = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PledgerError.invalid("out", "cannot create \(out): \((error as NSError).localizedDescription)")
        }
        let showProgress = ProgressLine.wanted && !statements.isEmpty
        var nets: [String: Money] = [:]
        for (index, statement) in statements.enumerated() {
            let name = "statement-\(fiscalYear.year)-\(statement.supporterID)"
            for format in [StatementFormat.html, .csv] {
                let file = directory.appending(path: "\(name).\(format.rawValue)")
                do {
                    try format.render(statement).write(to: file, atomically: true, encoding: .utf8)
                } catch {
                    throw PledgerError.invalid(
                        "out", "cannot write \(file.path): \((error as NSError).localizedDescription)")
                }
            }
            for total in statement.currencies {
                guard let currency = Currency(code: total.currency) else { continue }
                nets[total.currency] = try (nets[total.currency] ?? .zero(currency)).adding(
                    Money(minorUnits: total.net, currency: currency))
            }
            if showProgress {
                ProgressLine.show("statements", done: index + 1, total: statements.count, unit: "supporters")
            }
        }
        var text = "Wrote \(statements.count) statements for fiscal year \(fiscalYear) (\(fiscalYear.firstDay) to "
        text += "\(fiscalYear.lastDay), UTC) to \(out).\n"
        for code in nets.keys.sorted() { text += "  net given: \(nets[code]!)\n" }
        printOut(text)
    }
}
