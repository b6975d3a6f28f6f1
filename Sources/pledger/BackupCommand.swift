import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the ledger to a new file through SQLite's online backup (safe while the service writes).",
        discussion: "The copy is checked with verify; exit 1 if it does not hold."
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The new file to write.") var to: String

    func run() async throws {
        let check = try await ledger.open().operations.backup(to: to)
        guard check.holds else {
            throw CommandFailure(message: "backup written but it fails verify: \(check.breaches[0])", status: 1)
        }
        printOut("Backed up \(ledger.path) to \(to): \(check.transactionsChecked) transactions, verified.\n")
    }
}
