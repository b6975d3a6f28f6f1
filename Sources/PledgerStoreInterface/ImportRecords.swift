import Foundation
import PledgerCore

/// A payment drawn up whole for writing with others: its ledger transaction (under the id the
/// payment row names), the payment row, and the processor references that name it and its pledge.
public struct PaymentEntry: Sendable, Equatable {
    public let transactionID: ID<LedgerTransaction>
    public let transaction: LedgerTransaction
    public let payment: Payment
    /// References at the payment's processor (a charge, an invoice) linked to its pledge and to it.
    public let refs: [String]

    public init(transactionID: ID<LedgerTransaction>, transaction: LedgerTransaction, payment: Payment, refs: [String])
    {
        self.transactionID = transactionID
        self.transaction = transaction
        self.payment = payment
        self.refs = refs
    }
}

/// What an import needs beyond the live paths: the external ids already booked among many, and
/// many payments written at once.
public protocol ImportRecords {
    /// Those of `externalIDs` that a ledger transaction of `processor` already carries.
    func bookedExternalIDs(processor: String, among externalIDs: [String]) throws -> Set<String>
    /// Writes the payments in order, as ``LedgerWriter/insertLedgerTransaction(_:recordedAt:)``,
    /// ``LedgerWriter/insertPayment(_:)`` and ``PledgeRecords/linkRef(processor:ref:pledgeID:paymentID:at:)``
    /// would one by one: the same rows, the hash chain extended in the same order. All or nothing
    /// only inside a savepoint: a failure leaves part written, for the caller to roll back.
    func insertPayments(_ entries: [PaymentEntry], recordedAt: Date) throws
    /// Sets the writer's page cache to `size` (SQLite's `cache_size`: pages, or KiB when negative)
    /// and returns the size it had, to be put back the same way.
    func swapCacheSize(_ size: Int) throws -> Int
}
