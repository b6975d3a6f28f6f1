/// Percentages for reports, computed with integers only: a ratio or a change is worked out in
/// tenths of a percent (permille), rounded half to even once, and shown with one decimal.
/// Nothing goes through `Double`, so the same figures always print the same text.
public enum Percent {
    /// `numerator / denominator` in tenths of a percent, rounded half to even; nil when the
    /// denominator is zero or the result does not fit.
    public static func permille(_ numerator: Int64, of denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        return signed(negative: (numerator < 0) != (denominator < 0), numerator.magnitude, over: denominator.magnitude)
    }

    /// The change from `previous` to `current` in tenths of a percent of `|previous|`, so a
    /// negative figure that shrinks towards zero (a loss getting smaller) is a positive change.
    /// Nil when `previous` is zero (no base to compare with) or the change does not fit.
    public static func changePermille(from previous: Int64, to current: Int64) -> Int64? {
        let (difference, overflow) = current.subtractingReportingOverflow(previous)
        guard !overflow, previous != 0 else { return nil }
        return signed(negative: difference < 0, difference.magnitude, over: previous.magnitude)
    }

    /// ±`value × 1000 / divisor`, rounded half to even; nil past `Int64`.
    private static func signed(negative: Bool, _ value: UInt64, over divisor: UInt64) -> Int64? {
        guard let magnitude = multiplyDivideHalfEven(value, by: 1000, over: divisor), magnitude <= UInt64(Int64.max)
        else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// "12.5%", "-3.0%" (ASCII minus, for CSV and JSON); nil stays nil.
    public static func plainText(permille: Int64?) -> String? {
        permille.map { value in (value < 0 ? "-" : "") + digits(value.magnitude) + "%" }
    }

    /// A ratio for people: "33.3%", or "—" when there is nothing to divide by.
    public static func ratioText(_ numerator: Int64, of denominator: Int64) -> String {
        plainText(permille: permille(numerator, of: denominator)) ?? "—"
    }

    /// A change for people: "+12.5%", "−3.0%" (the Unicode minus, as in the tables), "0.0%" when
    /// unchanged, and "—" when the previous figure is zero and a percentage means nothing.
    public static func changeText(from previous: Int64, to current: Int64) -> String {
        guard let value = changePermille(from: previous, to: current) else { return "—" }
        let sign = current > previous ? "+" : current < previous ? "\u{2212}" : ""
        return sign + digits(value.magnitude) + "%"
    }

    /// Permille as "1,234.5" (thousands grouped for readability).
    private static func digits(_ permille: UInt64) -> String {
        let whole = String(permille / 10)
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return "\(grouped).\(permille % 10)"
    }
}

/// `value × factor / divisor` rounded half to even, through a 128-bit intermediate so no
/// figure Pledger can hold overflows on the way; nil when the quotient needs more than 64 bits.
func multiplyDivideHalfEven(_ value: UInt64, by factor: UInt64, over divisor: UInt64) -> UInt64? {
    precondition(divisor > 0, "divisor must be positive")
    let product = value.multipliedFullWidth(by: factor)
    guard product.high < divisor else { return nil }
    let (quotient, remainder) = divisor.dividingFullWidth(product)
    // Compared with what is left to the next multiple rather than doubled, so nothing can overflow.
    let rest = divisor - remainder
    if remainder > rest || (remainder == rest && quotient % 2 == 1) {
        return quotient == .max ? nil : quotient + 1
    }
    return quotient
}
