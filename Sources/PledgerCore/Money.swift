/// An amount of money: a whole count of the currency's minor units (cents, fils, yen).
///
/// Integer minor units keep every sum exact; nothing here ever goes through a floating-point
/// or `Decimal` value. Arithmetic is checked: overflow and mixed currencies are
/// ``PledgerError``s, never a trap or a silent wrap.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units: 500 is 5.00 USD, 500 JPY, 0.500 KWD.
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }

    // MARK: Parsing

    /// The refusals of an amount that is not digits and dots, each with the way to write it.
    private static func refuseUnusual(_ text: String, example: String, field: String) throws(PledgerError) {
        guard let first = text.first, let last = text.last else {
            throw .invalid(field, "must not be empty; write an amount such as \(example)")
        }
        if first.isWhitespace || last.isWhitespace {
            throw .invalid(field, "must not have spaces around it; write an amount such as \(example)")
        }
        if text.contains(where: \.isWhitespace) {
            throw .invalid(field, "must not contain spaces; write an amount such as \(example)")
        }
        if first == "-" || first == "\u{2212}" {  // ASCII hyphen-minus or the Unicode minus sign
            throw .invalid(field, "must not be negative")
        }
        if first == "+" {
            throw .invalid(field, "must not have a '+' sign; write just the number, such as \(example)")
        }
        if ["nan", "snan", "inf", "infinity"].contains(text.lowercased()) {
            throw .invalid(field, "\"\(text)\" is not an amount; write a number such as \(example)")
        }
        if text.contains(",") {
            let plain = text.filter { $0 != "," }
            if isGrouped(text, separator: ",") {
                throw .invalid(field, "must not contain thousands separators ','; write \(plain)")
            }
            if text.contains(".") {
                throw .invalid(
                    field, "must use '.' for decimals and no thousands separators; write an amount such as \(example)")
            }
            let dotted = text.map { $0 == "," ? "." : $0 }
            throw .invalid(field, "must use '.' for decimals, not ','; write \(String(dotted))")
        }
        if text.contains("_") || text.contains("'") || text.contains("\u{2019}") {
            let plain = text.filter { $0 != "_" && $0 != "'" && $0 != "\u{2019}" }
            throw .invalid(field, "must not contain grouping separators; write \(plain)")
        }
        if looksLikeExponentNotation(text) {
            throw .invalid(field, "must be written out in digits, not in exponent notation like \"\(text)\"")
        }
    }

    /// Parses an amount in major units as a person types it: "5", "5.0", "5.00" in USD are 500.
    ///
    /// Accepted: ASCII digits, optionally one `.` followed by 1…exponent digits; leading zeros
    /// are fine ("05.00"). "0" and "0.00" parse to zero — callers decide whether zero is allowed.
    ///
    /// Refused, each with `PledgerError.invalid(field, reason)`: an empty value; spaces anywhere;
    /// a sign ("-5" is "must not be negative", "+5"); exponent notation ("1e3"); "NaN" and
    /// infinities; a decimal comma ("5,00": use a dot); grouping separators ("1,000", "1_000",
    /// "1'000"); more decimals than the currency has ("5.001" in USD), and any decimals for a
    /// currency without a minor unit ("5.0" in JPY); a lone dot at either end (".5", "5.") —
    /// refused rather than guessed, since "5." is as likely a cut-off "5.50" as "5"; other
    /// characters, non-ASCII digits included; anything past `Int64.max` minor units.
    public static func parse(_ text: String, currency: Currency, field: String = "amount") throws(PledgerError) -> Money
    {
        let example = currency.exampleAmount
        let bytes = Array(text.utf8)
        // Digits and dots alone (what exports write) cannot fail the checks on spaces, signs,
        // separators and words (``refuseUnusual(_:example:field:)``): they go straight to the number.
        if bytes.isEmpty || !bytes.allSatisfy({ isDigit($0) || $0 == dot }) {
            try refuseUnusual(text, example: example, field: field)
        }
        guard bytes.allSatisfy({ isDigit($0) || $0 == dot }) else {
            throw .invalid(field, "\"\(text)\" is not an amount; use digits and '.', such as \(example)")
        }
        let parts = bytes.split(separator: dot, omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw .invalid(field, "must not have more than one '.'")
        }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : []
        // The currency's rule first, so ".555" in USD is told about decimals, not the dot.
        if fraction.count > currency.exponent {
            if currency.exponent == 0 {
                throw .invalid(field, "\(currency.code) has no minor unit; write a whole number such as \(example)")
            }
            let noun = currency.exponent == 1 ? "decimal" : "decimals"
            throw .invalid(field, "\(currency.code) allows at most \(currency.exponent) \(noun)")
        }
        if whole.isEmpty && fraction.isEmpty {
            throw .invalid(field, "\"\(text)\" is not an amount; write a number such as \(example)")
        }
        if whole.isEmpty {
            throw .invalid(field, "must have a digit before the '.'; write 0\(text)")
        }
        if parts.count == 2 && fraction.isEmpty {
            let bare = String(text.dropLast())
            let hint =
                currency.exponent == 0 ? bare : "\(bare) or \(bare).\(String(repeating: "0", count: currency.exponent))"
            throw .invalid(field, "must not end with '.'; write \(hint)")
        }

        // minor = whole * 10^exponent + fraction padded to exponent digits, every step checked.
        let tooLarge = PledgerError.invalid(
            field,
            "value too large; at most \(Money(minorUnits: .max, currency: currency).decimalString) \(currency.code)"
        )
        var minor: Int64 = 0
        let digits = whole + fraction + Array(repeating: zero, count: currency.exponent - fraction.count)
        for byte in digits {
            let (shifted, overflow1) = minor.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int64(byte - zero))
            if overflow1 || overflow2 { throw tooLarge }
            minor = next
        }
        return Money(minorUnits: minor, currency: currency)
    }

    /// Validates integer minor units from an API client or a processor's webhook.
    /// Refuses a negative value with `PledgerError.invalid(field, …)`; zero is allowed.
    public static func minor(_ value: Int64, currency: Currency, field: String = "amount") throws(PledgerError) -> Money
    {
        guard value >= 0 else {
            throw .invalid(field, "must not be negative (got \(value) minor units)")
        }
        return Money(minorUnits: value, currency: currency)
    }

    // MARK: Checked arithmetic

    public func adding(_ other: Money) throws(PledgerError) -> Money {
        try requireSameCurrency(other, verb: "add")
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        if overflow { throw Money.overflow("\(self) + \(other)") }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(PledgerError) -> Money {
        try requireSameCurrency(other, verb: "subtract")
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        if overflow { throw Money.overflow("\(self) - \(other)") }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The opposite amount; only `Int64.min` minor units has none.
    public func negated() throws(PledgerError) -> Money {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(minorUnits)
        if overflow { throw Money.overflow("-(\(self))") }
        return Money(minorUnits: result, currency: currency)
    }

    public func multiplied(by factor: Int64) throws(PledgerError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        if overflow { throw Money.overflow("\(self) × \(factor)") }
        return Money(minorUnits: product, currency: currency)
    }

    /// This amount divided by a positive `divisor`, rounded half to even to the minor unit
    /// (banker's rounding, so rounding errors do not drift one way over many sums — the MRR
    /// rule of DESIGN). A divisor below 1 is `PledgerError.invalid("divisor", …)`.
    public func dividedRoundingHalfEven(by divisor: Int64) throws(PledgerError) -> Money {
        guard divisor > 0 else { throw .invalid("divisor", "must be more than zero (got \(divisor))") }
        let quotient = roundHalfEven(minorUnits, dividedBy: divisor)
        return Money(minorUnits: quotient, currency: currency)
    }

    // MARK: Formatting

    /// Plain decimal in major units, no grouping, `-` when negative: "155.00", "500", "-0.250".
    public var decimalString: String { format(grouped: false) }

    /// "155.00 USD".
    public var description: String { "\(decimalString) \(currency.code)" }

    /// For tables: thousands grouped with ',' and the code: "1,234.50 USD", "1,000 JPY", "-12.00 USD".
    public var grouped: String { "\(format(grouped: true)) \(currency.code)" }

    private func format(grouped: Bool) -> String {
        // magnitude is a UInt64, so Int64.min formats too.
        var digits = String(minorUnits.magnitude)
        let exponent = currency.exponent
        if digits.count <= exponent {
            digits = String(repeating: "0", count: exponent + 1 - digits.count) + digits
        }
        var whole = String(digits.dropLast(exponent))
        let fraction = digits.suffix(exponent)
        if grouped {
            whole = Money.groupThousands(whole)
        }
        let sign = minorUnits < 0 ? "-" : ""
        return exponent == 0 ? sign + whole : "\(sign)\(whole).\(fraction)"
    }

    private static func groupThousands(_ digits: String) -> String {
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }

    // MARK: Helpers

    private func requireSameCurrency(_ other: Money, verb: String) throws(PledgerError) {
        guard other.currency == currency else {
            throw PledgerError(
                .refused, code: "currency_mismatch",
                message: "cannot \(verb) \(other.currency.code) and \(currency.code) amounts without an exchange rate"
            )
        }
    }

    private static func overflow(_ expression: String) -> PledgerError {
        PledgerError(.invalid, code: "amount_overflow", message: "\(expression) is out of range for an amount")
    }

    private static let zero = UInt8(ascii: "0")
    private static let dot = UInt8(ascii: ".")

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// "1,000", "12,345,678.90": digit groups of three after a first group of one to three.
    private static func isGrouped(_ text: String, separator: Character) -> Bool {
        let number = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = number.split(separator: separator, omittingEmptySubsequences: false)
        guard groups.count >= 2, let head = groups.first, (1...3).contains(head.count) else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isASCIIDigitCharacter) }
            && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// "1e3", "2.5E-2", "1e+6": digits and at most one dot, then e/E, an optional sign, digits.
    private static func looksLikeExponentNotation(_ text: String) -> Bool {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return false }
        let mantissa = text[..<e]
        var power = text[text.index(after: e)...]
        if power.first == "+" || power.first == "-" { power = power.dropFirst() }
        return mantissa.contains(where: \.isASCIIDigitCharacter)
            && mantissa.allSatisfy { $0.isASCIIDigitCharacter || $0 == "." }
            && !power.isEmpty && power.allSatisfy(\.isASCIIDigitCharacter)
    }
}

extension Currency {
    /// An amount to show in messages, in this currency's format: "5.00", "500", "5.000".
    var exampleAmount: String {
        exponent == 0 ? "500" : "5." + String(repeating: "0", count: exponent)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isWholeNumber }
}
