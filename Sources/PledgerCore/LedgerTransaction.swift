import Foundation

/// A balanced, not yet written, ledger transaction. It can only be made through
/// ``LedgerTransaction/init(kind:processor:externalID:occurredAt:postings:)``, which refuses
/// postings that do not sum to zero in every currency — the check happens before anything is written.
public struct LedgerTransaction: Sendable, Equatable {
    public let kind: LedgerKind
    public let processor: String
    /// The processor's id of what caused it (charge id, refund id…); unique per processor.
    public let externalID: String
    public let occurredAt: Date
    public let postings: [Posting]

    public init(kind: LedgerKind, processor: String, externalID: String, occurredAt: Date, postings: [Posting])
        throws(PledgerError)
    {
        try Self.checkBalanced(postings)
        self.kind = kind
        self.processor = processor
        self.externalID = externalID
        self.occurredAt = occurredAt
        self.postings = postings
    }

    /// Refuses fewer than two postings, empty accounts, or a non-zero sum in any currency.
    public static func checkBalanced(_ postings: [Posting]) throws(PledgerError) {
        guard postings.count >= 2 else {
            throw PledgerError(
                .refused, code: "unbalanced_transaction", message: "a ledger transaction needs at least two postings")
        }
        var sums = CurrencyTotals()
        for posting in postings {
            guard !posting.account.isEmpty else {
                throw PledgerError(.refused, code: "unbalanced_transaction", message: "a posting has no account")
            }
            try sums.add(posting.amount)
        }
        for currency in sums.currencies where sums[currency].minorUnits != 0 {
            throw PledgerError(
                .refused, code: "unbalanced_transaction",
                message: "postings do not balance in \(currency.code): they sum to \(sums[currency])"
            )
        }
    }
}
