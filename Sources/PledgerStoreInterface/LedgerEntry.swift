import Foundation
import PledgerCore

/// One ledger transaction as the exports write it.
public struct LedgerEntry: Sendable, Equatable {
    /// One posting: debits positive, credits negative, in minor units of `currency`.
    public struct Line: Sendable, Equatable {
        public let account: String
        public let currency: String
        public let amount: Int64

        public init(account: String, currency: String, amount: Int64) {
            self.account = account
            self.currency = currency
            self.amount = amount
        }
    }

    public let id: ID<LedgerTransaction>
    public let kind: String
    public let processor: String
    public let externalID: String
    public let occurredAt: Date
    /// The pledge behind a payment, refund or chargeback, when there is one.
    public let pledgeID: ID<Pledge>?
    public let lines: [Line]

    public init(
        id: ID<LedgerTransaction>, kind: String, processor: String, externalID: String, occurredAt: Date,
        pledgeID: ID<Pledge>?,
        lines: [Line]
    ) {
        self.id = id
        self.kind = kind
        self.processor = processor
        self.externalID = externalID
        self.occurredAt = occurredAt
        self.pledgeID = pledgeID
        self.lines = lines
    }
}

/// What the ledger exports read: transactions in time order, streamed one at a time.
