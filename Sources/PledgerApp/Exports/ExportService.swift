import Foundation
import PledgerCore
import PledgerStoreInterface

/// The ledger for an accountant's tools: an hledger journal, a Beancount file, or CSV.
public struct ExportService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock

    /// Writes the ledger's transactions that happened from `from` (inclusive) to `to` (exclusive)
    /// in `format`, oldest first, passing the text to `write` in pieces — the ledger is streamed,
    /// never loaded whole. Dates are days in `timeZone`, so an hledger balance over a month's days
    /// matches the monthly report in the same zone. With a start date, the asset balances before
    /// it open the export as one transaction against `equity:opening-balances`.
    /// - Parameter chart: the publisher's chart of accounts; postings are exported under its codes
    ///   and names (the totals are the same), and an account it does not cover is refused
    ///   (`PledgerError.invalid`, field `accounts`, naming it) before anything is written.
    public func export(
        as format: ExportFormat, from: Date? = nil, to: Date? = nil, timeZone: TimeZone = .gmt,
        chart: AccountMap? = nil, write: @escaping @Sendable (String) -> Void
    ) async throws -> ExportSummary {
        let now = clock.now
        return try await store.snapshot { session in
            let opening = try from.map { try session.balances(before: $0, prefix: "assets:") } ?? []
            var accounts = try session.ledgerAccounts(before: to)
            if !opening.isEmpty, !accounts.contains(where: { $0.account == LedgerExportWriter.openingAccount }) {
                let currencies = Array(Set(opening.map(\.currency))).sorted()
                accounts.append((LedgerExportWriter.openingAccount, currencies, from!))
            }
            try chart?.check(accounts.map(\.account))
            var writer = LedgerExportWriter(format: format, timeZone: timeZone, chart: chart, write: write)
            writer.header(generatedAt: now, from: from, to: to)
            writer.declare(accounts: accounts)
            var summary = ExportSummary()
            if let from, !opening.isEmpty {
                writer.opening(opening, at: from)
                summary.openingBalances = true
            }
            try session.forEachLedgerEntry(from: from, to: to) { entry in
                writer.transaction(entry)
                summary.transactions += 1
            }
            writer.flush()
            return summary
        }
    }
}
