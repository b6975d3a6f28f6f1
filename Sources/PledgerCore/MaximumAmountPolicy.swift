import Foundation

/// The largest pledge or payment allowed, per currency, chosen so that no report can overflow.
///
/// Why the ledger's sums cannot overflow `Int64`: every report figure is a sum of single amounts
/// (payments, refunds, fees, pledge amounts), and the most amounts any sum adds up is bounded by
/// 10 million supporters × 10 years × 12 monthly payments = 1.2 × 10⁹ (``summedAmountsBound``).
/// `Int64.max` ≈ 9.22 × 10¹⁸, so an amount of at most `Int64.max / 1.2 × 10⁹` = 7,686,143,364 minor
/// units (``ceilingMinorUnits``) keeps every such sum within `Int64`, with ARR (12 × MRR, where
/// MRR sums at most 10⁷ pledges) far inside too: 12 × 10⁷ × 7.7 × 10⁹ ≈ 9.2 × 10¹⁷.
///
/// The default, 1,000,000 major units in every currency, is at most 10⁹ minor units for currencies
/// with up to 3 decimals (USD 10⁸, KWD 10⁹), under the ceiling. For the 4-decimal currencies (CLF, UYW)
/// one million major units would be 10¹⁰ minor units, so the ceiling applies instead: 768,614.3364.
public struct MaximumAmountPolicy: Sendable, Equatable {
    /// The most amounts one report sum may add: 10M supporters × 10 years × 12 payments a year.
    public static let summedAmountsBound: Int64 = 10_000_000 * 10 * 12
    /// No maximum may exceed this many minor units, whatever is configured.
    public static let ceilingMinorUnits: Int64 = Int64.max / summedAmountsBound
    /// The default maximum in major units, in every currency.
    public static let defaultMajorUnits: Int64 = 1_000_000

    /// The maximum in major units for currencies without an override.
    public let majorUnits: Int64
    /// Maximums in minor units that replace the default for their currency.
    public let overrides: [Currency: Int64]

    public init(majorUnits: Int64 = defaultMajorUnits, overrides: [Currency: Int64] = [:]) {
        self.majorUnits = max(1, majorUnits)
        self.overrides = overrides
    }

    public static let `default` = MaximumAmountPolicy()

    /// The largest amount allowed in `currency`.
    public func maximum(for currency: Currency) -> Money {
        let configured =
            overrides[currency]
            ?? {
                let (product, overflow) = majorUnits.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
                return overflow ? Self.ceilingMinorUnits : product
            }()
        return Money(minorUnits: min(configured, Self.ceilingMinorUnits), currency: currency)
    }

    /// Refuses an amount above its currency's maximum with `amount_above_maximum` naming `field`.
    public func check(_ money: Money, field: String = "amount") throws(PledgerError) {
        let maximum = maximum(for: money.currency)
        guard money.minorUnits <= maximum.minorUnits else {
            throw PledgerError(
                .refused, code: "amount_above_maximum", field: field,
                message:
                    "must be at most \(maximum) (PLEDGER_MAX_AMOUNT; larger amounts would let report sums overflow)")
        }
    }

    /// Parses `PLEDGER_MAX_AMOUNT`: a whole number of major units for every currency (`1000000`),
    /// and/or `CODE=AMOUNT` entries for single currencies (`50000,IDR=50000000`), separated by ','.
    /// A `CODE=AMOUNT` above ``ceilingMinorUnits`` is refused, naming `field` and the reason; the bare
    /// number is capped at the ceiling in each currency (``maximum(for:)``).
    public static func parse(_ text: String, field: String = "PLEDGER_MAX_AMOUNT") throws(PledgerError)
        -> MaximumAmountPolicy
    {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .default }
        let form = "write a whole number of major units, and/or CODE=AMOUNT entries, such as 50000,IDR=50000000"
        var major = defaultMajorUnits
        var overrides: [Currency: Int64] = [:]
        for entry in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = entry.trimmingCharacters(in: .whitespaces)
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 1 {
                guard let value = Int64(item), value > 0, value <= ceilingMinorUnits else {
                    throw .invalid(field, "\"\(item)\" is not a whole number from 1 to \(ceilingMinorUnits); \(form)")
                }
                major = value
                continue
            }
            let money: Money
            do throws(PledgerError) {
                let currency = try Currency.parse(pair[0].trimmingCharacters(in: .whitespaces), field: field)
                money = try Money.parse(pair[1].trimmingCharacters(in: .whitespaces), currency: currency, field: field)
            } catch {
                throw .invalid(field, "\"\(item)\": \(error.message); \(form)")
            }
            guard money.minorUnits > 0, money.minorUnits <= ceilingMinorUnits else {
                throw .invalid(
                    field,
                    "\"\(item)\" must be more than zero and at most \(ceilingMinorUnits) minor units, so that report sums cannot overflow"
                )
            }
            guard overrides[money.currency] == nil else {
                throw .invalid(field, "gives \(money.currency.code) more than once")
            }
            overrides[money.currency] = money.minorUnits
        }
        return MaximumAmountPolicy(majorUnits: major, overrides: overrides)
    }
}
