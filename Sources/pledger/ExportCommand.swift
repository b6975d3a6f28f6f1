import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerImport

/// `pledger export`: the ledger for accounting tools.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the ledger as an hledger journal, a Beancount file, or CSV.",
        discussion: """
            Every ledger transaction (payments, refunds, chargebacks and their fees) with its postings, oldest \
            first, dated by day in --tz. --from and --to are days (YYYY-MM-DD), both included; with --from, the \
            asset balances before it open the export as one transaction against equity:opening-balances. \
            hledger keeps Pledger's account names; Beancount capitalises them (Income:Donations:One-off). \
            CSV has one row per posting: transaction_id,date,occurred_at,kind,processor,external_id,pledge_id,\
            account,currency,amount,amount_minor.
            For a month M, `hledger -f FILE balance income expenses:fees -b M-01 -e <next month>-01` shows \
            −(gross − refunds − chargebacks) and the fees of `pledger report monthly --month M` in the same zone.
            --accounts maps Pledger's accounts to the publisher's chart (codes and names; README "The publisher's \
            chart of accounts"): hledger and Beancount then use those accounts, CSV adds account_code and \
            account_name; an account the chart does not cover is refused, naming it.
            """
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "hledger, beancount or csv.") var format: ExportFormat = .hledger
    @Option(help: "The first day, YYYY-MM-DD (included). Default: the first transaction.") var from: String?
    @Option(help: "The last day, YYYY-MM-DD (included). Default: the last transaction.") var to: String?
    @Option(help: "IANA time zone of the days.") var tz: String = "UTC"
    @Option(help: ArgumentHelp("The publisher's chart of accounts.", valueName: "accounts.toml")) var accounts: String?
    @Option(
        name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() async throws {
        let zone = try parseTimeZone(tz)
        let first = try from.map { text throws(PledgerError) in try ReportDay.parse(text, field: "from") }
        let last = try to.map { text throws(PledgerError) in try ReportDay.parse(text, field: "to") }
        if let first, let last, last < first {
            throw PledgerError.invalid("to", "\(last) is before --from \(first)")
        }
        let chart: AccountMap?
        do {
            chart = try accounts.map { path throws(ImportRefusal) in try AccountMapFile.read(URL(fileURLWithPath: path))
            }
        } catch {
            throw CommandFailure(message: error.description, status: 2)
        }
        let app = try ledger.openExisting()
        guard let output else {
            _ = try await app.exports.export(
                as: format, from: first?.start(in: zone), to: last?.end(in: zone), timeZone: zone, chart: chart
            ) { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            return
        }
        // Written beside the target and moved into place at the end: a failed export leaves no half file.
        let target = URL(fileURLWithPath: output)
        let partial = target.deletingLastPathComponent().appending(path: ".\(target.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: partial)
        else {
            throw PledgerError.invalid("output", "cannot write \(output)")
        }
        let summary: ExportSummary
        do {
            summary = try await app.exports.export(
                as: format, from: first?.start(in: zone), to: last?.end(in: zone), timeZone: zone, chart: chart
            ) { text in
                handle.write(Data(text.utf8))
            }
            try handle.close()
            if FileManager.default.fileExists(atPath: target.path) {
                _ = try FileManager.default.replaceItemAt(target, withItemAt: partial)
            } else {
                try FileManager.default.moveItem(at: partial, to: target)
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        let opening = summary.openingBalances ? " and opening balances" : ""
        FileHandle.standardError.write(
            Data("Wrote \(summary.transactions) transactions\(opening) to \(output) (\(format.rawValue)).\n".utf8))
    }
}
