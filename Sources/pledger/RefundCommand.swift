import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct RefundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Book refunds in the ledger.",
        subcommands: [Record.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Book a refund of a payment; never more than was paid and not yet given back.",
            discussion: "Example: pledger refund record --payment ch_123 --amount 5.00 --external-id re_456"
        )
        @OptionGroup var options: ReversalOptions

        func run() async throws {
            try await options.run(.refund)
        }
    }
}
