import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment",
        abstract: "Book payments in the ledger.",
        subcommands: [Record.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Book a payment for a pledge (and the processor's fee).",
            discussion: """
                Example: pledger payment record --pledge pl_… --amount 5.00 --currency USD --external-id ch_123 --fee 0.45 --processor stripe
                The same --external-id from the same processor is never booked twice. The first payment makes a \
                pending pledge active (recurring) or completed (one-off); a payment makes a past-due pledge active.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The pledge paid (pl_…).") var pledge: String
        @Option(help: "The amount received, in major units.") var amount: String
        @Option(help: "ISO 4217 code in capitals, e.g. USD.") var currency: String
        @Option(help: "The processor's id for this payment (charge or payment intent id).") var externalId: String
        @Option(help: "The processor's fee, in major units.") var fee: String?
        @Option(help: "The processor (default: manual).") var processor: String?
        @Option(help: "When it happened (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let currency = try Currency.parse(currency)
            let request = PaymentRequest(
                pledgeID: pledge, amount: try Money.parse(amount, currency: currency),
                fee: try fee.map { text throws(PledgerError) in try Money.parse(text, currency: currency, field: "fee")
                },
                processor: processor, externalID: externalId, at: try parseAt(at))
            let payment = try await ledger.open().payments.record(request)
            switch output.format {
            case .json: printOut(Views.json(Views.payment(payment)))
            case .text:
                printOut(
                    "Booked payment \(payment.id)\n"
                        + keyValues([
                            ("pledge", payment.pledgeID ?? "-"),
                            ("amount", payment.amount.grouped),
                            ("fee", payment.fee.grouped),
                            ("processor", "\(payment.processor) \(payment.externalID)"),
                            ("at", Timestamp.format(payment.occurredAt)),
                        ]))
            }
        }
    }
}
