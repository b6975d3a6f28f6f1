import Foundation

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
