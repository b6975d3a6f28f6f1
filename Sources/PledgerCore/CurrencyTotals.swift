/// Sums kept apart per currency, with checked addition: nothing adds USD to EUR here.
///
/// A currency appears in ``currencies`` once anything in it was added, even when its sum
/// is back to zero (a balanced ledger transaction sums to zero, and is still "in USD").
public struct CurrencyTotals: Sendable, Equatable {
    private var sums: [Currency: Money] = [:]

    public init() {}

    /// Adds `money` to its currency's sum; overflow is `PledgerError` code `amount_overflow`.
    public mutating func add(_ money: Money) throws(PledgerError) {
        sums[money.currency] = try self[money.currency].adding(money)
    }

    /// Subtracts `money` from its currency's sum, checked like ``add(_:)``.
    public mutating func subtract(_ money: Money) throws(PledgerError) {
        sums[money.currency] = try self[money.currency].subtracting(money)
    }

    /// The sum in `currency`; zero when nothing in that currency was added.
    public subscript(currency: Currency) -> Money {
        sums[currency] ?? .zero(currency)
    }

    /// The currencies with a sum, sorted by code.
    public var currencies: [Currency] { sums.keys.sorted() }
}
