import Foundation

/// One line of a ledger transaction: debits positive, credits negative (hledger's convention).
public struct Posting: Sendable, Equatable {
    public let account: String
    public let amount: Money

    public init(_ account: String, _ amount: Money) {
        self.account = account
        self.amount = amount
    }
}

/// What caused a ledger transaction.
public enum LedgerKind: String, Sendable, Codable, CaseIterable {
    case payment, refund, chargeback, adjustment
}

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

/// The accounts and postings of each kind of money movement.
public enum Bookkeeping {
    public static func processorAccount(_ processor: String) -> String { "assets:processor:\(processor)" }
    public static func feeAccount(_ processor: String) -> String { "expenses:fees:\(processor)" }

    /// A payment: the processor holds the gross against income of the cadence; a fee is an
    /// expense the processor kept.
    public static func payment(gross: Money, fee: Money?, cadence: Cadence, processor: String) throws(PledgerError)
        -> [Posting]
    {
        var postings = [
            Posting(processorAccount(processor), gross),
            Posting(cadence.incomeAccount, try gross.negated()),
        ]
        if let fee, fee.minorUnits != 0 {
            postings.append(Posting(feeAccount(processor), fee))
            postings.append(Posting(processorAccount(processor), try fee.negated()))
        }
        return postings
    }

    /// A refund or chargeback reverses the income it came from; a dispute fee is an expense.
    public static func reversal(amount: Money, fee: Money?, cadence: Cadence, processor: String) throws(PledgerError)
        -> [Posting]
    {
        var postings = [
            Posting(cadence.incomeAccount, amount),
            Posting(processorAccount(processor), try amount.negated()),
        ]
        if let fee, fee.minorUnits != 0 {
            postings.append(Posting(feeAccount(processor), fee))
            postings.append(Posting(processorAccount(processor), try fee.negated()))
        }
        return postings
    }

    /// Refuses a refund or chargeback larger than what was paid and not yet reversed.
    public static func checkReversible(_ amount: Money, paid: Money, alreadyReversed: Money, paymentID: String)
        throws(PledgerError)
    {
        guard amount.minorUnits > 0 else { throw .invalid("amount", "must be more than zero") }
        guard amount.currency == paid.currency else {
            throw .invalid("currency", "payment \(paymentID) is in \(paid.currency.code), not \(amount.currency.code)")
        }
        let left = try paid.subtracting(alreadyReversed)
        guard amount.minorUnits <= left.minorUnits else {
            throw PledgerError(
                .refused, code: "refund_exceeds_payment", field: "amount",
                message: "\(amount) is more than payment \(paymentID) has left to refund (\(left) of \(paid))"
            )
        }
    }

    /// A processor name: lower-case letters, digits, `_` and `-` (it becomes part of account names).
    public static func checkProcessor(_ text: String, field: String = "processor") throws(PledgerError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, name.count <= 40,
            name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" })
        else {
            throw .invalid(field, "\"\(text)\" is not a processor name; use letters, digits, '_' or '-' (e.g. stripe)")
        }
        return name
    }

    /// An external id, trimmed of surrounding spaces: non-empty, at most 255 characters.
    public static func checkExternalID(_ text: String, field: String = "external_id") throws(PledgerError) -> String {
        try TextField.check(text, field: field)
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !id.isEmpty else { throw .invalid(field, "must not be empty") }
        guard id.count <= 255 else { throw .invalid(field, "is longer than 255 characters") }
        return id
    }
}
