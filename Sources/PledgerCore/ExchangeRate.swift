import Foundation

/// One exchange rate from a rates file: on `date`, one unit of `currency` was worth `rate` units
/// of the target currency. The rate is kept as the exact decimal it was written as (an integer
/// and a count of decimals), so conversion never goes through floating point.
public struct ExchangeRate: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public let date: String
    public let currency: Currency
    public let target: Currency
    /// The rate's digits without the dot: 0.9215 is 9215 with scale 4.
    public let digits: Int64
    public let scale: Int
    /// The rate as written in the file, for the report to show.
    public let text: String

    /// The most decimals a rate may have (more would not fit the 64-bit arithmetic with room to spare).
    public static let maximumScale = 12

    /// `money` in the target currency, rounded half to even to the target's minor unit.
    public func convert(_ minorUnits: Int64) throws(PledgerError) -> Int64 {
        // target minor = minor × digits × 10^targetExponent / (10^scale × 10^sourceExponent)
        let (factor, overflow) = digits.multipliedReportingOverflow(by: target.minorUnitsPerMajor)
        guard !overflow else { throw Self.tooLarge(minorUnits, currency) }
        var divisor: Int64 = currency.minorUnitsPerMajor
        for _ in 0..<scale { divisor *= 10 }  // scale ≤ 12 and exponent ≤ 4: at most 10^16
        guard let magnitude = multiplyDivideHalfEven(minorUnits.magnitude, by: UInt64(factor), over: UInt64(divisor)),
            magnitude <= UInt64(Int64.max)
        else { throw Self.tooLarge(minorUnits, currency) }
        return minorUnits < 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    private static func tooLarge(_ minorUnits: Int64, _ currency: Currency) -> PledgerError {
        PledgerError(
            .refused, code: "amount_overflow",
            message:
                "\(Money(minorUnits: minorUnits, currency: currency)) converted exceeds the largest amount Pledger can hold"
        )
    }
}
