import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

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
            let erased = try await ledger.open().operations.erase(email: email)
            printOut("Erased supporter \(erased.supporterID) (\(erased.pledges) pledges kept, anonymous).\n")
        }
    }
}
