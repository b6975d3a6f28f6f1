import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct ChargebackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chargeback",
        abstract: "Book chargebacks (disputes lost) in the ledger.",
        subcommands: [Record.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Book a chargeback of a payment, with the dispute fee if any.",
            discussion: "Example: pledger chargeback record --payment ch_123 --fee 15.00 --external-id dp_789"
        )
        @OptionGroup var options: ReversalOptions

        func run() async throws {
            try await options.run(.chargeback)
        }
    }
}
