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
