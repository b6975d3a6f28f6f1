import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

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
