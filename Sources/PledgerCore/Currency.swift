/// An ISO 4217 currency: its alphabetic code and its minor-unit exponent
/// (USD 2 — cents; JPY 0 — no minor unit; KWD 3 — fils; CLF 4).
///
/// Only codes in ``Currency/all`` can be made, so a `Currency` value is always one Pledger
/// knows how to count. It encodes as its code string (`"USD"`).
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The ISO 4217 alphabetic code, upper case: `"USD"`.
    public let code: String
    /// How many decimal digits the minor unit has: USD 2, JPY 0, KWD 3, CLF 4.
    public let exponent: Int

    /// Made only from the table below, so code and exponent always agree.
    private init(known code: String, exponent: Int) {
        self.code = code
        self.exponent = exponent
    }

    /// The currency with exactly this upper-case ISO 4217 code, or nil when Pledger does not know it.
    /// Lower case is not accepted here: use ``parse(_:field:)`` for what a person typed.
    public init?(code: String) {
        guard let exponent = Self.exponentByCode[code] else { return nil }
        self.init(known: code, exponent: exponent)
    }

    /// Parses a currency code typed by a person or sent by a client.
    ///
    /// Refuses an empty value, spaces, lower case (with a message naming the upper-case
    /// code to use), withdrawn codes (naming the successor), precious metals and test codes,
    /// and unknown codes. Errors are `PledgerError.invalid(field, …)`.
    public static func parse(_ text: String, field: String = "currency") throws(PledgerError) -> Currency {
        if text.isEmpty {
            throw .invalid(field, "must not be empty; give an ISO 4217 code such as USD")
        }
        if text.contains(where: \.isWhitespace) {
            throw .invalid(field, "must not contain spaces; give an ISO 4217 code such as USD")
        }
        if let currency = Currency(code: text) {
            return currency
        }
        let upper = text.uppercased()
        if upper != text, Currency(code: upper) != nil {
            throw .invalid(field, "\"\(text)\" must be upper case: use \(upper)")
        }
        if let successor = withdrawn[upper] {
            throw .invalid(field, "\(upper) is no longer in use; use \(successor)")
        }
        if notForDonations.contains(upper) {
            throw .invalid(field, "\(upper) is not a currency Pledger accepts for donations")
        }
        throw .invalid(field, "\"\(text)\" is not a known ISO 4217 currency code")
    }

    /// 10^exponent: how many minor units make one major unit (USD 100, JPY 1, KWD 1000).
    public var minorUnitsPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }  // exponent is at most 4: cannot overflow
        return result
    }

    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    // MARK: Codable — as the bare code string

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(code)\" is not a known ISO 4217 currency code"
            )
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    // MARK: The currencies

    public static let usd = Currency(known: "USD", exponent: 2)
    public static let eur = Currency(known: "EUR", exponent: 2)
    public static let gbp = Currency(known: "GBP", exponent: 2)
    public static let jpy = Currency(known: "JPY", exponent: 0)
    public static let rub = Currency(known: "RUB", exponent: 2)
    public static let kwd = Currency(known: "KWD", exponent: 3)
    public static let clf = Currency(known: "CLF", exponent: 4)

    /// Every active currency of ISO 4217 list one, sorted by code, with list one's exponents.
    ///
    /// Included: national currencies and the fund codes of list one that have a minor unit
    /// (BOV, CHE, CHW, COU, MXV, USN, UYI, CLF, UYW), and the newest codes (VES, VED, SLE,
    /// ZWG, XCG). Left out on purpose: precious metals (XAU, XAG, XPD, XPT), the SDR (XDR),
    /// bond-market and settlement units (XBA–XBD, XSU, XUA) and the test/no-currency codes
    /// (XTS, XXX) — none is money a reader can donate, and list one gives them no minor unit.
    /// Withdrawn codes (HRK, BGN, SLL, ZWL, ANG, CUC, VEF, MRO, STD…) are refused by
    /// ``parse(_:field:)`` with the name of their successor.
    public static let all: [Currency] =
        table
        .map { Currency(known: $0.0, exponent: $0.1) }
        .sorted()

    /// Alphabetic code and minor-unit exponent, from ISO 4217 list one.
    private static let table: [(String, Int)] = [
        ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2),
        ("AWG", 2), ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BHD", 3), ("BIF", 0),
        ("BMD", 2), ("BND", 2), ("BOB", 2), ("BOV", 2), ("BRL", 2), ("BSD", 2), ("BTN", 2),
        ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHE", 2), ("CHF", 2),
        ("CHW", 2), ("CLF", 4), ("CLP", 0), ("CNY", 2), ("COP", 2), ("COU", 2), ("CRC", 2),
        ("CUP", 2), ("CVE", 2), ("CZK", 2), ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2),
        ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2), ("FJD", 2), ("FKP", 2), ("GBP", 2),
        ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2),
        ("HKD", 2), ("HNL", 2), ("HTG", 2), ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2),
        ("IQD", 3), ("IRR", 2), ("ISK", 0), ("JMD", 2), ("JOD", 3), ("JPY", 0), ("KES", 2),
        ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 2), ("KRW", 0), ("KWD", 3), ("KYD", 2),
        ("KZT", 2), ("LAK", 2), ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3),
        ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2),
        ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MXV", 2), ("MYR", 2),
        ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2),
        ("OMR", 3), ("PAB", 2), ("PEN", 2), ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2),
        ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2), ("RUB", 2), ("RWF", 0), ("SAR", 2),
        ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2), ("SLE", 2),
        ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 2), ("SZL", 2),
        ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3), ("TOP", 2), ("TRY", 2), ("TTD", 2),
        ("TWD", 2), ("TZS", 2), ("UAH", 2), ("UGX", 0), ("USD", 2), ("USN", 2), ("UYI", 0),
        ("UYU", 2), ("UYW", 4), ("UZS", 2), ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0),
        ("WST", 2), ("XAF", 0), ("XCD", 2), ("XCG", 2), ("XOF", 0), ("XPF", 0), ("YER", 2),
        ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
    ]

    /// Built once for the lookups of `init?(code:)`; traps at start-up on a duplicated code
    /// in the table, which the tests would catch.
    private static let exponentByCode: [String: Int] = Dictionary(uniqueKeysWithValues: table)

    /// Recently withdrawn codes and what replaced them, so an old code gets a useful answer.
    private static let withdrawn: [String: String] = [
        "ANG": "XCG", "BGN": "EUR", "CUC": "CUP", "HRK": "EUR", "MRO": "MRU", "SLL": "SLE",
        "STD": "STN", "VEF": "VES", "ZWL": "ZWG", "LTL": "EUR", "LVL": "EUR", "EEK": "EUR",
    ]

    /// ISO 4217 codes that are not money for donations (metals, units of account, test codes).
    private static let notForDonations: Set<String> = [
        "XAU", "XAG", "XPD", "XPT", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA", "XTS", "XXX",
    ]
}
