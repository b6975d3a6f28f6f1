import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

extension ReportFormat: ExpressibleByArgument {}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Revenue reports.",
        subcommands: [Monthly.self]
    )

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The monthly revenue report: receipts, pledges, MRR movement, ARR, reminders.",
            discussion: """
                The month runs from local midnight on the 1st to local midnight on the next 1st in --tz. \
                Payments, refunds and chargebacks count in the month they happened. MRR counts recurring pledges \
                from their first payment until they are cancelled, annual ones at 1/12, rounded half-to-even once.
                JSON and CSV carry money as integer minor units (JSON) or decimal major units (CSV).
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The month, YYYY-MM. Default: the last complete month in --tz.") var month: String?
        @Option(help: "IANA time zone of the month's boundaries, e.g. Europe/Moscow.") var tz: String = "UTC"
        @Option(help: "table, json or csv.") var format: ReportFormat = .table

        func run() async throws {
            let month = try month.map { text throws(PledgerError) in try ReportMonth.parse(text) }
            let zone = try parseTimeZone(tz)
            let report = try await ledger.open().monthlyReport(month: month, timeZone: zone)
            printOut(report.rendered(as: format))
        }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every ledger invariant; exit 0 when they hold, 1 naming the first breach.",
        discussion: "Checks SQLite integrity, the append-only triggers, that every transaction balances per currency, and that no payment was given back beyond its amount."
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() async throws {
        let result = try await ledger.open().verify()
        switch format {
        case .json:
            struct View: Encodable {
                let ok: Bool
                let transactionsChecked: Int
                let paymentsWithReversalsChecked: Int
                let breaches: [String]
            }
            printOut(Views.json(View(
                ok: result.holds, transactionsChecked: result.transactionsChecked,
                paymentsWithReversalsChecked: result.paymentsWithReversalsChecked, breaches: result.breaches)))
        case .text:
            if result.holds {
                let transactions = result.transactionsChecked == 1 ? "1 transaction balances" : "\(result.transactionsChecked) transactions balance"
                let payments = result.paymentsWithReversalsChecked == 1 ? "1 refunded payment" : "\(result.paymentsWithReversalsChecked) refunded payments"
                printOut("Ledger OK: \(transactions); \(payments) within their amounts; append-only triggers in place.\n")
            }
        }
        if let first = result.breaches.first {
            throw CommandFailure(message: "ledger breach: \(first)" + (result.breaches.count > 1 ? " (and \(result.breaches.count - 1) more)" : ""), status: 1)
        }
    }
}
