import Foundation

/// The smallest pledge allowed, per currency.
///
/// By default 2 major units for currencies with two decimals (the box says "from just $2":
/// 2.00 USD, 2.00 EUR, 2.00 RUB) and 1 major unit for every other currency (1 JPY,
/// 1.000 KWD, 1.0000 CLF), since "2" of a currency without cents, or with fils, is not
/// the same promise. Overrides, in minor units, replace the default for their currency.
public struct MinimumPledgePolicy: Sendable, Equatable {
    /// Minimums in minor units that replace the default for their currency.
    public let overrides: [Currency: Int64]

    /// `overrides` are minor units; a negative one counts as zero (no minimum), since no
    /// amount below zero can be pledged anyway.
    public init(overrides: [Currency: Int64] = [:]) {
        self.overrides = overrides.mapValues { max($0, 0) }
    }

    /// No overrides: 2 major units for exponent-2 currencies, 1 major unit otherwise.
    public static let `default` = MinimumPledgePolicy()

    public func minimum(for currency: Currency) -> Money {
        if let minor = overrides[currency] {
            return Money(minorUnits: minor, currency: currency)
        }
        let majorUnits: Int64 = currency.exponent == 2 ? 2 : 1
        return Money(minorUnits: majorUnits * currency.minorUnitsPerMajor, currency: currency)
    }

    /// Refuses an amount below its currency's minimum with
    /// `PledgerError(.refused, code: "amount_below_minimum", field: field, message: "must be at least 2.00 USD")`.
    public func check(_ money: Money, field: String = "amount") throws(PledgerError) {
        let minimum = minimum(for: money.currency)
        guard money.minorUnits >= minimum.minorUnits else {
            throw PledgerError(
                .refused, code: "amount_below_minimum", field: field, message: "must be at least \(minimum)")
        }
    }

    /// Parses the `PLEDGER_MIN_PLEDGE` form: `CODE=AMOUNT` pairs separated by ',', amounts in
    /// major units as ``Money/parse(_:currency:field:)`` reads them: "USD=3.00,JPY=500".
    ///
    /// An empty or blank value is the default policy (an unset and an empty environment
    /// variable mean the same). Spaces around entries are ignored; an empty entry, a missing
    /// '=', a bad code or amount, and a currency given twice are `PledgerError.invalid(field, …)`
    /// naming the entry at fault.
    public static func parse(_ text: String, field: String = "PLEDGER_MIN_PLEDGE") throws(PledgerError)
        -> MinimumPledgePolicy
    {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .default }
        let form = "write CODE=AMOUNT pairs separated by ',', such as USD=3.00,JPY=500"
        var overrides: [Currency: Int64] = [:]
        for entry in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = entry.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else {
                throw .invalid(field, "has an empty entry; \(form)")
            }
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else {
                throw .invalid(field, "\"\(item)\" is not CODE=AMOUNT; \(form)")
            }
            let code = pair[0].trimmingCharacters(in: .whitespaces)
            let amountText = pair[1].trimmingCharacters(in: .whitespaces)
            let money: Money
            do throws(PledgerError) {
                let currency = try Currency.parse(code, field: field)
                money = try Money.parse(amountText, currency: currency, field: field)
            } catch {
                // Keep the reason, and say which entry it is about.
                throw .invalid(field, "\"\(item)\": \(error.message)")
            }
            guard overrides[money.currency] == nil else {
                throw .invalid(field, "gives \(money.currency.code) more than once")
            }
            overrides[money.currency] = money.minorUnits
        }
        return MinimumPledgePolicy(overrides: overrides)
    }
}
