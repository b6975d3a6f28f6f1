import Foundation
import PledgerCore

/// The ledger read whole, streamed: for the exports and for `verify`.
public protocol LedgerReader {
    /// Each ledger transaction from `from` (inclusive) to `to` (exclusive), oldest first.
    func forEachLedgerEntry(from: Date?, to: Date?, _ body: (LedgerEntry) throws -> Void) throws
    /// Every account used before `to`, with its currencies and its first use.
    func ledgerAccounts(before to: Date?) throws -> [(account: String, currencies: [String], firstUsed: Date)]
    /// Balances of the accounts under `prefix` just before `instant`.
    func balances(before instant: Date, prefix: String) throws -> [(account: String, currency: String, amount: Int64)]
    /// Every ledger transaction's postings, for Core's balance check.
    func forEachTransaction(
        _ body: (_ id: ID<LedgerTransaction>, _ postings: [Posting]) throws -> Void,
        unknownCurrency: (_ id: ID<LedgerTransaction>, _ code: String) throws -> Void
    ) throws
    /// Every payment with refunds or chargebacks, with what they gave back.
    func forEachReversedPayment(
        _ body: (_ payment: Payment, _ reversed: Money, _ currencyMismatch: Bool) throws -> Void)
        throws
    /// What the storage itself finds wrong (missing triggers, dangling rows, a broken hash chain…), in words.
    func storageBreaches() throws -> [String]
    /// Whether the database answers.
    func ping() throws -> Bool
}
