import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerRender

extension ReportCommand {
    /// `pledger report lapsed`: LYBUNT and SYBUNT supporters, per currency.
    struct Lapsed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lapsed supporters: LYBUNT (gave last year, not this) and SYBUNT (gave before, not since).",
            discussion: """
                For fiscal year --year Y (named by the calendar year it starts in; --fiscal-year-start MM, \
                default 01; bounds at midnight UTC): LYBUNT supporters gave in Y−1 and not in Y; SYBUNT \
                supporters gave in some year before Y−1 and in neither Y−1 nor Y. "Gave" means the year's net \
                in a currency (payments less refunds and chargebacks booked that year, as on the giving \
                statement) is above zero; each currency is judged alone. For each: the count, what they gave in \
                their last year of giving, and their lifetime net through Y; then every lapsed supporter by id \
                and e-mail (none once erased). JSON carries money as integer minor units, CSV as decimal major units.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The fiscal year Y, named by the calendar year it starts in.") var year: String
        @Option(help: ArgumentHelp("The month the fiscal year starts in, 01 to 12.", valueName: "MM"))
        var fiscalYearStart: String = "01"
        @Option(help: "table, json, csv, markdown or html.") var format: ReportFormat = .table

        func run() async throws {
            let fiscalYear = try FiscalYear.parse(year: year, startMonth: fiscalYearStart)
            let report = try await ledger.openExisting().statements.lapsed(year: fiscalYear)
            printOut(report.rendered(as: format, colour: format == .table && terminalWantsColour()))
        }
    }
}
