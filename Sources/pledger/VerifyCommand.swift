import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerRender

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every ledger invariant; exit 0 when they hold, 1 naming the first breach.",
        discussion:
            "Checks SQLite integrity, the append-only triggers, that every transaction balances per currency, and that no payment was given back beyond its amount."
    )
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let result = try await ledger.open().operations.verify()
        switch output.format {
        case .json:
            struct View: Encodable {
                let ok: Bool
                let transactionsChecked: Int
                let paymentsWithReversalsChecked: Int
                let breaches: [String]
            }
            printOut(
                Views.json(
                    View(
                        ok: result.holds, transactionsChecked: result.transactionsChecked,
                        paymentsWithReversalsChecked: result.paymentsWithReversalsChecked, breaches: result.breaches)))
        case .text:
            if result.holds {
                let transactions =
                    result.transactionsChecked == 1
                    ? "1 transaction balances" : "\(result.transactionsChecked) transactions balance"
                let payments =
                    result.paymentsWithReversalsChecked == 1
                    ? "1 refunded payment" : "\(result.paymentsWithReversalsChecked) refunded payments"
                printOut(
                    "Ledger OK: \(transactions); \(payments) within their amounts; append-only triggers, hash chain, payment rows and MRR checkpoints checked.\n"
                )
            }
        }
        if let first = result.breaches.first {
            throw CommandFailure(
                message: "ledger breach: \(first)"
                    + (result.breaches.count > 1 ? " (and \(result.breaches.count - 1) more)" : ""), status: 1)
        }
    }
}
