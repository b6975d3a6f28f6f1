import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the ledger with a backup, after checking the backup with verify.",
        discussion: "Refuses to overwrite an existing ledger without --force; stop `pledger serve` first."
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The backup file.") var from: String
    @Flag(help: "Overwrite an existing ledger.") var force = false

    func run() async throws {
        let check = try await Operations.restore(from: from, to: ledger.path, force: force)
        printOut("Restored \(ledger.path) from \(from): \(check.transactionsChecked) transactions, verified.\n")
    }
}
