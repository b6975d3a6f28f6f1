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
        @Option(help: "The pledge paid (pl_…).") var pledge: ID<Pledge>
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
                            ("pledge", payment.pledgeID?.rawValue ?? "-"),
                            ("amount", payment.amount.grouped),
                            ("fee", payment.fee.grouped),
                            ("processor", "\(payment.processor) \(payment.externalID)"),
                            ("at", Timestamp.format(payment.occurredAt)),
                        ]))
            }
        }
    }
}

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

/// Options shared by refunds and chargebacks.
struct ReversalOptions: ParsableArguments {
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The external id of the payment given back.") var payment: String
    @Option(help: "The amount given back, in the payment's currency (default: all that is left).") var amount: String?
    @Option(help: "The processor's fee for it, in major units.") var fee: String?
    @Option(help: "The processor's id of the refund or dispute (default: a generated one).") var externalId: String?
    @Option(help: "The payment's processor, when several booked the same external id.") var processor: String?
    @Option(help: "When it happened (ISO 8601). Default: now.") var at: String?
    @OptionGroup var output: OutputOptions

    func run(_ kind: Reversal.Kind) async throws {
        let at = try parseAt(at)
        let app = try ledger.open()
        let request = ReversalRequest(
            kind: kind, paymentExternalID: payment, processor: processor, amountText: amount, feeText: fee,
            externalID: externalId, at: at)
        let reversal = try await app.payments.reverse(request)
        switch output.format {
        case .json: printOut(Views.json(Views.reversal(reversal)))
        case .text:
            printOut(
                "Booked \(kind.rawValue) \(reversal.id)\n"
                    + keyValues([
                        ("payment", payment),
                        ("amount", reversal.amount.grouped),
                        ("fee", reversal.fee.grouped),
                        ("processor", "\(reversal.processor) \(reversal.externalID)"),
                        ("at", Timestamp.format(reversal.occurredAt)),
                    ]))
        }
    }
}
