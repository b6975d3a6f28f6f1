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

/// A supporter drawn up for writing with others, with the processor's id for it (a Stripe customer).
public struct SupporterEntry: Sendable, Equatable {
    public let id: ID<Supporter>
    public let email: String?
    public let ref: String
    public let createdAt: Date

    public init(id: ID<Supporter>, email: String?, ref: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.ref = ref
        self.createdAt = createdAt
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
    /// Of `refs` at `processor`, those that name a supporter, and whom.
    func supporterIDs(processor: String, refs: [String]) throws -> [String: ID<Supporter>]
    /// Of `emails` (normalised), those a supporter has.
    func knownEmails(among emails: [String]) throws -> Set<String>
    /// Of `refs` at `processor`, those that name a pledge (as ``PledgeRecords/pledgeIDs(processor:refs:)`` finds one).
    func pledgeRefs(processor: String, among refs: [String]) throws -> Set<String>
    /// Writes the supporters and links each to its ref at `processor`, as
    /// ``SupporterRecords/insertSupporter(id:email:externalRef:at:)`` and `linkSupporterRef` would one by one.
    /// All or nothing only inside a transaction the caller can roll back.
    func insertSupporters(_ entries: [SupporterEntry], processor: String, linkedAt: Date) throws
    /// Writes the pledges in order, with their `created` events and a link from each `processorRef`,
    /// as ``PledgeRecords/insertPledge(_:)`` and `linkRef` would one by one, and returns them as read back.
    /// All or nothing only inside a transaction the caller can roll back.
    func insertPledges(_ pledges: [Pledge], linkedAt: Date) throws -> [Pledge]
    /// Sets the writer's page cache to `size` (SQLite's `cache_size`: pages, or KiB when negative)
    /// and returns the size it had, to be put back the same way.
    func swapCacheSize(_ size: Int) throws -> Int
}
