import Foundation
import PledgerCore

/// The append-only ledger: balanced transactions (checked by Core), and the payments, refunds and
/// chargebacks they book, each external id booked once per processor.
public protocol LedgerWriter {
    /// Whether any ledger transaction of `processor` already carries `externalID`.
    func isBooked(processor: String, externalID: String) throws -> Bool
    /// Appends a transaction to the chain. - Returns: its id.
    func insertLedgerTransaction(_ transaction: LedgerTransaction, recordedAt: Date) throws -> ID<LedgerTransaction>
    func insertPayment(_ payment: Payment) throws
    func insertReversal(_ reversal: Reversal) throws
    func payment(processor: String, externalID: String) throws -> Payment?
    /// The payment any of `refs` (charge, payment intent, invoice) are linked to at `processor`.
    func payment(processor: String, refs: [String]) throws -> Payment?
    /// Payments with this external id at any processor.
    func payments(externalID: String) throws -> [Payment]
    func reversal(processor: String, externalID: String) throws -> Reversal?
    /// What refunds and chargebacks already gave back of a payment, in its currency.
    func reversedTotal(of payment: Payment) throws -> Money
    /// What refunds alone already gave back of a payment, in its currency.
    func refundedTotal(of payment: Payment) throws -> Money
}
