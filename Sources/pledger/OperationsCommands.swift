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
        let check = try await ledger.openExisting().backup(to: to)
        guard check.holds else {
            throw CommandFailure(message: "backup written but it fails verify: \(check.breaches[0])", status: 1)
        }
        printOut("Backed up \(ledger.path) to \(to): \(check.transactionsChecked) transactions, verified.\n")
    }
}

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
        let check = try await Pledger.restore(from: from, to: ledger.path, force: force)
        printOut("Restored \(ledger.path) from \(from): \(check.transactionsChecked) transactions, verified.\n")
    }
}

struct SupporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supporter",
        abstract: "Supporters' personal data.",
        subcommands: [Erase.self]
    )

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a supporter's personal data on request; money records and reports are kept.",
            discussion: "The e-mail and external ref are replaced by a tombstone; the e-mail can no longer be found."
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The supporter's e-mail address.") var email: String

        func run() async throws {
            let erased = try await ledger.open().eraseSupporter(email: email)
            printOut("Erased supporter \(erased.supporterID) (\(erased.pledges) pledges kept, anonymous).\n")
        }
    }
}
