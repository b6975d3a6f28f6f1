import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerRender

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Revenue reports: one month, a run of months, retention by cohort, the box's sources, lapsed supporters.",
        subcommands: [Monthly.self, Range.self, Cohorts.self, Sources.self, Lapsed.self]
    )

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The monthly revenue report: receipts, pledges, MRR movement, ARR, reminders, beside the month before.",
            discussion: """
                The month runs from local midnight on the 1st to local midnight on the next 1st in --tz. \
                Payments, refunds and chargebacks count in the month they happened. MRR counts recurring pledges \
                from their first payment until they are cancelled, annual ones at 1/12, rounded half-to-even once; \
                MRR at risk is the part owed by past-due pledges. Each figure is shown beside the previous month \
                with the change and the change in percent. When the reader's box was used in the month, a box \
                funnel per campaign follows: shown → continued → pledged → paid and remind later → confirmed → \
                converted (docs/box.md); JSON always carries it as box_funnel.
                JSON carries money as integer minor units (schema: docs/monthly-report.schema.json); CSV as decimal \
                major units. html is one self-contained page with a 12-month chart, to open, print or forward.
                The table is coloured only on a terminal, and never when NO_COLOR is set.
                --in EUR --rates rates.csv adds totals converted into EUR. The rates file is CSV with the header \
                date,currency,rate: on that date one unit of currency was worth rate EUR. Each month uses the latest \
                rate dated within it; a missing rate is an error naming the currency and date.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The month, YYYY-MM. Default: the last complete month in --tz.") var month: String?
        @Option(help: "IANA time zone of the month's boundaries, e.g. Europe/Moscow.") var tz: String = "UTC"
        @Option(help: "table, json, csv, markdown or html.") var format: ReportFormat = .table
        @Option(
            name: .customLong("in"),
            help: ArgumentHelp("Add totals converted into this currency (with --rates).", valueName: "currency"))
        var target: String?
        @Option(
            help: ArgumentHelp("Exchange rates for --in: CSV with the header date,currency,rate.", valueName: "file"))
        var rates: String?

        func run() async throws {
            let month = try month.map { text throws(PledgerError) in try ReportMonth.parse(text) }
            let zone = try parseTimeZone(tz)
            let exchangeRates = try loadRates(target: target, file: rates)
            // Only HTML (the chart) and JSON carry the 12-month trend; the other formats need two months.
            let report = try await ledger.openExisting().reports.monthly(
                month: month, timeZone: zone, rates: exchangeRates, trend: format == .html || format == .json)
            printOut(report.rendered(as: format, colour: format == .table && terminalWantsColour()))
        }
    }

    struct Range: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Month by month: receipts, net, MRR, recurring supporters, new and churned.",
            discussion: """
                Every month from --from to --to (both included), read in one pass over the ledger; each month's \
                figures are exactly those of its monthly report. JSON: {"from", "to", "months": [{"month", \
                "currencies": [...]}]} with each currency block shaped as in the monthly report. CSV: one row per \
                month and currency. html: a self-contained page with a chart per currency.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The first month, YYYY-MM. Default: eleven months before --to.") var from: String?
        @Option(help: "The last month, YYYY-MM. Default: the last complete month in --tz.") var to: String?
        @Option(help: "IANA time zone of the months' boundaries.") var tz: String = "UTC"
        @Option(help: "table, json, csv, markdown or html.") var format: ReportFormat = .table

        func run() async throws {
            let zone = try parseTimeZone(tz)
            let app = try ledger.openExisting()
            let to =
                try to.map { text throws(PledgerError) in try ReportMonth.parse(text, field: "to") }
                ?? ReportMonth.lastComplete(at: app.clock.now, in: zone)
            let from =
                try from.map { text throws(PledgerError) in try ReportMonth.parse(text, field: "from") }
                ?? (0..<11).reduce(to) { month, _ in month.previous }
            let report = try await app.reports.range(from: from, to: to, timeZone: zone)
            printOut(report.rendered(as: format, colour: format == .table && terminalWantsColour()))
        }
    }

    struct Cohorts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Retention by cohort: supporters by month of first payment, still active 1, 2, 3, 6, 12 months on.",
            discussion: """
                A supporter joins the cohort of the month of their first payment on a pledge of --cadence \
                (monthly, annual, or recurring for both). They count as active after k months when such a pledge \
                is live (paid, not cancelled) at the end of the k-th month after their cohort month. Cells whose \
                month has not ended yet are left blank (null in JSON).
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "monthly, annual, or recurring (both).") var cadence: String = "recurring"
        @Option(help: "The first cohort, YYYY-MM. Default: twelve months before --to.") var from: String?
        @Option(help: "The last cohort, YYYY-MM. Default: the last complete month in --tz.") var to: String?
        @Option(help: "IANA time zone of the months' boundaries.") var tz: String = "UTC"
        @Option(help: "table, json, csv, markdown or html.") var format: ReportFormat = .table

        func run() async throws {
            let scope = try CohortReport.Scope.parse(cadence)
            let zone = try parseTimeZone(tz)
            let from = try from.map { text throws(PledgerError) in try ReportMonth.parse(text, field: "from") }
            let to = try to.map { text throws(PledgerError) in try ReportMonth.parse(text, field: "to") }
            let report = try await ledger.openExisting().reports.cohorts(
                from: from, to: to, scope: scope, timeZone: zone)
            printOut(report.rendered(as: format, colour: format == .table && terminalWantsColour()))
        }
    }
}

extension ReportCommand {
    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The reader's box by article and campaign, ranked by new MRR and receipts.",
            discussion: """
                Over the pledges made from the box (docs/box.md): new pledges made in the month; new MRR of those \
                first paid in the month (annual amounts at 1/12, one-off gifts none), rounded half to even once \
                per row; receipts, the gross of their payments booked in the month. Two rankings, by page path and \
                by campaign, each per currency (never added together), sorted by new MRR, then receipts, \
                descending; and "remind me later" by page path, counted as in the monthly report's box funnel. \
                JSON: {"pages", "campaigns", "totals", "reminders"} with money in integer minor units \
                (schema: docs/sources-report.schema.json); CSV: one row per place, money in decimal major units.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The month, YYYY-MM. Default: the last complete month in --tz.") var month: String?
        @Option(help: "IANA time zone of the month's boundaries, e.g. Europe/Moscow.") var tz: String = "UTC"
        @Option(help: "table, json, csv, markdown or html.") var format: ReportFormat = .table

        func run() async throws {
            let month = try month.map { text throws(PledgerError) in try ReportMonth.parse(text) }
            let zone = try parseTimeZone(tz)
            let report = try await ledger.openExisting().reports.sources(month: month, timeZone: zone)
            printOut(report.rendered(as: format, colour: format == .table && terminalWantsColour()))
        }
    }
}

/// Reads and parses `--rates` for `--in`; both or neither must be given.
func loadRates(target: String?, file: String?) throws -> ExchangeRates? {
    switch (target, file) {
    case (nil, nil):
        return nil
    case (nil, .some):
        throw PledgerError.invalid("in", "--rates needs --in, the currency to convert into (e.g. --in EUR)")
    case (.some, nil):
        throw PledgerError.invalid("rates", "--in needs --rates, a CSV file with the header date,currency,rate")
    case (let target?, let file?):
        let currency = try Currency.parse(target, field: "in")
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw PledgerError.invalid("rates", "cannot read \(file): \((error as NSError).localizedDescription)")
        }
        return try ExchangeRates.parse(text, target: currency, source: file)
    }
}

/// Colour only when standard output is a terminal that can show it and `NO_COLOR` is not set
/// (https://no-color.org: any non-empty value turns colour off).
func terminalWantsColour() -> Bool {
    let environment = ProcessInfo.processInfo.environment
    if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return isatty(STDOUT_FILENO) == 1
}
