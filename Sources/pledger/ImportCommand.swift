import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerImport

/// `pledger import`: moving in an existing supporter base and its history.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring in supporters, pledges and payment history from Stripe or another system's CSV export.",
        subcommands: [ImportStripeCommand.self, ImportCSVCommand.self]
    )
}

/// `pledger import stripe`: the CSV files Stripe's dashboard exports.
struct ImportStripeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stripe",
        abstract: "Import Stripe's dashboard exports of customers, subscriptions and payments.",
        discussion: """
            Supporters are keyed by Stripe customer id, pledges by subscription id, payments by PaymentIntent id \
            (else charge id), refunds and disputes as the Stripe webhooks key them, so live webhooks for the same \
            objects create and book nothing twice. Rows already imported are skipped: running the same files \
            again is safe, and resumes an interrupted run. A refused row is listed with its file, line, column and \
            reason and changes nothing; the exit status is then 1. The README's "Moving in: imports" lists the \
            columns read.
            """
    )
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Stripe's customers export.", valueName: "customers.csv")) var customers: String?
    @Option(help: ArgumentHelp("Stripe's subscriptions export.", valueName: "subscriptions.csv"))
    var subscriptions: String?
    @Option(help: ArgumentHelp("Stripe's payments export.", valueName: "payments.csv")) var payments: String?
    @Flag(help: "Write nothing: print what would be created and every refused row.") var dryRun = false
    @Option(help: ImportDefaults.batchSizeHelp) var batchSize = ImportDefaults.batchSize

    func run() async throws {
        guard customers != nil || subscriptions != nil || payments != nil else {
            throw PledgerError.invalid("payments", "give at least one of --customers, --subscriptions, --payments")
        }
        guard batchSize > 0 else { throw PledgerError.invalid("batch-size", "must be at least 1") }
        let request = StripeImportRequest(
            customers: customers.map(URL.init(fileURLWithPath:)),
            subscriptions: subscriptions.map(URL.init(fileURLWithPath:)),
            payments: payments.map(URL.init(fileURLWithPath:)), dryRun: dryRun, batchSize: batchSize)
        let summary = try await ImportRun.run(ledger: ledger, dryRun: dryRun) { app, progress in
            try await app.imports.stripe(request, progress: progress)
        }
        try ImportRun.render(summary, format: output.format)
    }
}

/// `pledger import csv`: any donations export, read through a TOML mapping.
struct ImportCSVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Import any donations export (CiviCRM, GiveWP, a spreadsheet) through a TOML column mapping.",
        discussion: """
            Each row is one payment: its supporter is found by the mapping's supporter id (else e-mail) or \
            created, a recurring donor's payments share one pledge, a one-off gift is a pledge of its own, and \
            the payment is booked under the mapping's processor and external id, so a second run skips it. \
            The README's "Moving in: imports" describes the mapping; Fixtures/import/ has examples.
            """
    )
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The export.", valueName: "file.csv")) var file: String
    @Option(help: ArgumentHelp("How to read its columns.", valueName: "mapping.toml")) var mapping: String
    @Flag(help: "Write nothing: print what would be created and every refused row.") var dryRun = false
    @Option(help: ImportDefaults.batchSizeHelp) var batchSize = ImportDefaults.batchSize

    func run() async throws {
        guard batchSize > 0 else { throw PledgerError.invalid("batch-size", "must be at least 1") }
        let request = CSVImportRequest(
            file: URL(fileURLWithPath: file), mapping: URL(fileURLWithPath: mapping), dryRun: dryRun,
            batchSize: batchSize)
        let summary = try await ImportRun.run(ledger: ledger, dryRun: dryRun) { app, progress in
            try await app.imports.csv(request, progress: progress)
        }
        try ImportRun.render(summary, format: output.format)
    }
}

/// What the import commands share: opening the ledger (a scratch copy for a dry run of a ledger that
/// does not exist yet), the progress line, and the summary.
enum ImportRun {
    static func run(
        ledger: LedgerOptions, dryRun: Bool,
        _ body: (Pledger, (@Sendable (ImportProgress) -> Void)?) async throws -> ImportSummary
    ) async throws -> ImportSummary {
        var scratch: URL?
        let app: Pledger
        if dryRun && !Pledger.ledgerExists(at: ledger.path) {
            // A dry run leaves no ledger behind: it runs against an empty one in a temporary directory.
            let directory = FileManager.default.temporaryDirectory.appending(
                path: "pledger-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            scratch = directory
            app = try Pledger.open(path: directory.appending(path: "dry-run.sqlite").path, durability: .scratch)
        } else {
            app = try ledger.open()
        }
        defer {
            try? app.close()
            if let scratch { try? FileManager.default.removeItem(at: scratch) }
        }
        // A progress line only where a person watches: never into a log or a pipe.
        let progress: (@Sendable (ImportProgress) -> Void)? = ProgressLine.wanted ? showProgress : nil
        do {
            return try await body(app, progress)
        } catch let refusal as ImportRefusal {
            throw CommandFailure(message: refusal.description, status: 2)
        }
    }

    @Sendable static func showProgress(_ step: ImportProgress) {
        ProgressLine.show("importing", done: step.done, total: step.total, unit: "rows")
    }

    /// Prints the summary; any refused row makes the exit status 1 once it is printed.
    static func render(_ summary: ImportSummary, format: OutputFormat) throws {
        switch format {
        case .json:
            printOut(Views.json(summary) + "\n")
        case .text:
            var text = ""
            if summary.dryRun {
                text += "Dry run: nothing was written.\n"
                if !summary.planned.isEmpty {
                    text += "Would create:\n" + summary.planned.map { "  \($0)\n" }.joined()
                }
            }
            if !summary.refusals.isEmpty {
                text += "Refused:\n" + summary.refusals.map { "  \($0)\n" }.joined()
            }
            let verb = summary.dryRun ? "would be created" : "created"
            text +=
                String(repeating: " ", count: 15) + pad(verb, 16) + " " + pad("skipped", 7) + "  " + pad("refused", 7)
                + "\n"
            for kind in ImportSummary.kinds {
                let counts = summary.counts[kind] ?? ImportSummary.Counts()
                text +=
                    kind.padding(toLength: 15, withPad: " ", startingAt: 0) + pad(counts.created, 16) + " "
                    + pad(counts.skipped, 7) + "  " + pad(counts.refused, 7) + "\n"
            }
            let notPaid = summary.notPaid > 0 ? "; not booked: \(summary.notPaid) unpaid (failed, pending…)" : ""
            text +=
                "\(summary.dryRun ? "Would create" : "Created") \(summary.created), skipped \(summary.skipped) "
                + "already imported, refused \(summary.refused)\(notPaid).\n"
            printOut(text)
        }
        if summary.refused > 0 {
            throw CommandFailure(message: "\(summary.refused) rows refused; see the list above", status: 1)
        }
    }

    /// Right-aligned in `width` columns.
    private static func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
        let text = value.description
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// What both import commands share about committing in batches.
enum ImportDefaults {
    /// Large enough that the index pages a batch dirties are written once per thousands of rows
    /// (the import's cost at a million payments); small enough that a server beside it waits for
    /// the ledger's writer under a second per batch.
    static let batchSize = 5_000
    static let batchSizeHelp: ArgumentHelp = """
        Rows per committed transaction. Larger imports faster; a server running beside \
        the import waits for each batch's commit, so keep it modest while serving.
        """
}
