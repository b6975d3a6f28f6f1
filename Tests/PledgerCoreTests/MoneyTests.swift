import Foundation
import Testing

@testable import PledgerCore

// MARK: - Helpers

private func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

// MARK: - Parsing amounts and currencies, table-driven

/// Money, Currency, CurrencyTotals and MinimumPledgePolicy; one suite so names stay local.
@Suite("Money")
struct MoneyTests {

    /// One row: an amount and a currency as typed, and what must come of them.
    struct ParseCase: Sendable, CustomTestStringConvertible {
        enum Expected: Sendable {
            /// Parses to exactly these minor units.
            case minor(Int64)
            /// Refused as invalid, naming `field`, with a message containing `fragment`.
            case refused(field: String, fragment: String)
        }

        let amount: String
        let currency: String
        let field: String
        let expected: Expected

        init(_ amount: String, _ currency: String, _ expected: Expected, field: String = "amount") {
            self.amount = amount
            self.currency = currency
            self.field = field
            self.expected = expected
        }

        var testDescription: String { "\"\(amount)\" \(currency)" }
    }

    static func bad(_ fragment: String, field: String = "amount") -> ParseCase.Expected {
        .refused(field: field, fragment: fragment)
    }

    static let parseCases: [ParseCase] = [
        // Good amounts.
        ParseCase("5", "USD", .minor(500)),
        ParseCase("5.0", "USD", .minor(500)),
        ParseCase("5.00", "USD", .minor(500)),
        ParseCase("155.5", "USD", .minor(15550)),
        ParseCase("0", "USD", .minor(0)),
        ParseCase("0.00", "USD", .minor(0)),
        ParseCase("0.01", "USD", .minor(1)),
        ParseCase("007.50", "USD", .minor(750)),
        ParseCase("92233720368547758.07", "USD", .minor(Int64.max)),
        ParseCase("9223372036854775807", "JPY", .minor(Int64.max)),
        ParseCase("500", "JPY", .minor(500)),
        ParseCase("1000", "ISK", .minor(1000)),
        ParseCase("1.234", "KWD", .minor(1234)),
        ParseCase("2", "KWD", .minor(2000)),
        ParseCase("1.5", "BHD", .minor(1500)),
        ParseCase("1.2345", "CLF", .minor(12345)),
        ParseCase("10", "UYW", .minor(100_000)),
        ParseCase("5", "EUR", .minor(500)),
        ParseCase("250.75", "RUB", .minor(25075)),
        ParseCase("5", "VES", .minor(500)),
        ParseCase("5", "ZWG", .minor(500)),
        ParseCase("5", "XCG", .minor(500)),
        ParseCase("5", "SLE", .minor(500)),
        // Too many decimals for the currency.
        ParseCase("5.001", "USD", bad("USD allows at most 2 decimals")),
        ParseCase("5.000", "USD", bad("USD allows at most 2 decimals")),
        ParseCase(".555", "USD", bad("USD allows at most 2 decimals")),
        ParseCase("5.0", "JPY", bad("JPY has no minor unit")),
        ParseCase(".5", "JPY", bad("JPY has no minor unit")),
        ParseCase("1.2345", "KWD", bad("KWD allows at most 3 decimals")),
        ParseCase("0.00001", "CLF", bad("CLF allows at most 4 decimals")),
        // Past Int64.
        ParseCase("92233720368547758.08", "USD", bad("value too large")),
        ParseCase("9223372036854775808", "JPY", bad("value too large")),
        ParseCase("99999999999999999999999", "USD", bad("at most 92233720368547758.07 USD")),
        // Signs.
        ParseCase("-5", "USD", bad("must not be negative")),
        ParseCase("-0.01", "USD", bad("must not be negative")),
        ParseCase("\u{2212}5", "USD", bad("must not be negative")),
        ParseCase("+5", "USD", bad("'+' sign")),
        // Not plain decimals.
        ParseCase("1e3", "USD", bad("exponent notation")),
        ParseCase("2.5E-2", "USD", bad("exponent notation")),
        ParseCase("NaN", "USD", bad("is not an amount")),
        ParseCase("inf", "USD", bad("is not an amount")),
        ParseCase("Infinity", "USD", bad("is not an amount")),
        ParseCase("abc", "USD", bad("is not an amount")),
        ParseCase("$5", "USD", bad("is not an amount")),
        ParseCase("\u{0665}", "USD", bad("is not an amount")),  // Arabic-Indic digit five
        ParseCase("5.0.0", "USD", bad("more than one '.'")),
        ParseCase(".", "USD", bad("is not an amount")),
        // Commas and grouping.
        ParseCase("5,00", "USD", bad("use '.' for decimals, not ','; write 5.00")),
        ParseCase("1,000", "USD", bad("thousands separators ','; write 1000")),
        ParseCase("1,000.50", "USD", bad("write 1000.50")),
        ParseCase("1,000", "JPY", bad("thousands separators")),
        ParseCase("1.000,50", "EUR", bad("'.' for decimals and no thousands separators")),
        ParseCase("1_000", "USD", bad("grouping separators; write 1000")),
        // Empty and spaces.
        ParseCase("", "USD", bad("must not be empty")),
        ParseCase(" 5", "USD", bad("spaces around")),
        ParseCase("5 ", "USD", bad("spaces around")),
        ParseCase("5\t", "USD", bad("spaces around")),
        ParseCase("5 000", "USD", bad("must not contain spaces")),
        // Lone dots.
        ParseCase(".5", "USD", bad("digit before the '.'; write 0.5")),
        ParseCase("5.", "USD", bad("must not end with '.'; write 5 or 5.00")),
        ParseCase("5.", "JPY", bad("must not end with '.'; write 5")),
        // The field given is the one named.
        ParseCase("5.001", "USD", bad("at most 2 decimals", field: "donation"), field: "donation"),
        // Currency codes.
        ParseCase("5", "usd", bad("use USD", field: "currency")),
        ParseCase("5", "Eur", bad("use EUR", field: "currency")),
        ParseCase("5", "XYZ", bad("not a known ISO 4217 currency code", field: "currency")),
        ParseCase("5", "", bad("must not be empty", field: "currency")),
        ParseCase("5", " USD", bad("must not contain spaces", field: "currency")),
        ParseCase("5", "HRK", bad("no longer in use; use EUR", field: "currency")),
        ParseCase("5", "ZWL", bad("no longer in use; use ZWG", field: "currency")),
        ParseCase("5", "XAU", bad("not a currency Pledger accepts", field: "currency")),
    ]

    @Test("Parsing amounts as typed", arguments: MoneyTests.parseCases)
    func parseAmount(_ row: ParseCase) {
        let result: Result<Money, PledgerError> = Result { () throws(PledgerError) -> Money in
            let currency = try Currency.parse(row.currency)
            return try Money.parse(row.amount, currency: currency, field: row.field)
        }
        switch (row.expected, result) {
        case (.minor(let expected), .success(let money)):
            #expect(money.minorUnits == expected)
            #expect(money.currency.code == row.currency)
        case (.minor(let expected), .failure(let error)):
            Issue.record("expected \(expected) minor units, got error \(error)")
        case (.refused(let field, _), .success(let money)):
            Issue.record("expected a refusal of \(field), got \(money)")
        case (.refused(let field, let fragment), .failure(let error)):
            #expect(error.kind == .invalid)
            #expect(error.field == field)
            #expect(error.code == "invalid_\(field)")
            #expect(error.message.contains(fragment), "message was: \(error.message)")
        }
    }

    @Test func parseCaseTableIsLargeEnough() {
        #expect(MoneyTests.parseCases.count >= 35)
    }

    @Test(
        "Formatting then parsing gives the same amount",
        arguments: [
            Money(minorUnits: 0, currency: .usd),
            Money(minorUnits: 5, currency: .usd),
            Money(minorUnits: 123_456, currency: .eur),
            Money(minorUnits: Int64.max, currency: .usd),
            Money(minorUnits: 7, currency: .kwd),
            Money(minorUnits: 1, currency: .clf),
            Money(minorUnits: 1_000_000, currency: .jpy),
        ])
    func decimalStringRoundTrips(_ money: Money) throws {
        #expect(try Money.parse(money.decimalString, currency: money.currency) == money)
    }

    // MARK: - Minor units from APIs

    @Test func minorUnitsFromAnAPI() throws {
        #expect(try Money.minor(0, currency: .usd) == usd(0))
        #expect(try Money.minor(1999, currency: .jpy) == Money(minorUnits: 1999, currency: .jpy))
        let error = thrown { () throws(PledgerError) in try Money.minor(-1, currency: .usd, field: "amount_total") }
        #expect(error?.kind == .invalid)
        #expect(error?.field == "amount_total")
        #expect(error?.message.contains("must not be negative") == true)
    }

    // MARK: - Currency

    @Test(
        "List-one exponents",
        arguments: [
            ("USD", 2), ("EUR", 2), ("GBP", 2), ("RUB", 2), ("ISK", 0), ("UGX", 0), ("VND", 0), ("XOF", 0),
            ("XAF", 0), ("XPF", 0), ("KRW", 0), ("CLP", 0), ("PYG", 0), ("JPY", 0), ("UYI", 0), ("BHD", 3),
            ("IQD", 3), ("JOD", 3), ("KWD", 3), ("LYD", 3), ("OMR", 3), ("TND", 3), ("CLF", 4), ("UYW", 4),
            ("VES", 2), ("VED", 2), ("SLE", 2), ("ZWG", 2), ("XCG", 2), ("BOV", 2), ("CHE", 2), ("CHW", 2),
            ("COU", 2), ("MXV", 2), ("USN", 2),
        ])
    func exponents(_ code: String, _ exponent: Int) throws {
        let currency = try #require(Currency(code: code))
        #expect(currency.exponent == exponent)
        #expect(currency.code == code)
        #expect(Currency.all.contains(currency))
    }

    @Test(
        "Not currencies for donations, withdrawn, or not exact",
        arguments: [
            "XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "HRK", "SLL", "ZWL", "VEF", "BGN", "ANG",
            "usd", "Usd", "USD ", "", "US", "USDD",
        ])
    func unknownCodes(_ code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test func allIsSortedUniqueAndConsistent() {
        let codes = Currency.all.map(\.code)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(codes.count > 150)
        for currency in Currency.all {
            #expect(Currency(code: currency.code) == currency)
            #expect(currency.code.count == 3)
            #expect(currency.code == currency.code.uppercased())
            #expect((0...4).contains(currency.exponent))
        }
    }

    @Test func namedCurrenciesMatchTheTable() {
        let named: [Currency] = [.usd, .eur, .gbp, .jpy, .rub, .kwd, .clf]
        #expect(named.map(\.code) == ["USD", "EUR", "GBP", "JPY", "RUB", "KWD", "CLF"])
        for currency in named {
            #expect(Currency(code: currency.code) == currency)
        }
    }

    @Test func minorUnitsPerMajor() {
        #expect(Currency.usd.minorUnitsPerMajor == 100)
        #expect(Currency.jpy.minorUnitsPerMajor == 1)
        #expect(Currency.kwd.minorUnitsPerMajor == 1000)
        #expect(Currency.clf.minorUnitsPerMajor == 10_000)
    }

    @Test func currencyOrderAndDescription() {
        #expect(Currency.eur < Currency.usd)
        #expect(!(Currency.usd < Currency.usd))
        #expect([Currency.usd, .jpy, .eur].sorted() == [.eur, .jpy, .usd])
        #expect(Currency.usd.description == "USD")
    }

    @Test func currencyCodesAsAString() throws {
        let data = try JSONEncoder().encode([Currency.usd, .kwd])
        #expect(String(decoding: data, as: UTF8.self) == #"["USD","KWD"]"#)
        #expect(try JSONDecoder().decode([Currency].self, from: Data(#"["JPY","CLF"]"#.utf8)) == [.jpy, .clf])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Currency].self, from: Data(#"["usd"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Currency].self, from: Data(#"["XYZ"]"#.utf8))
        }
    }

    // MARK: - Checked arithmetic

    @Test func arithmeticInRange() throws {
        #expect(try usd(150).adding(usd(25)) == usd(175))
        #expect(try usd(150).subtracting(usd(200)) == usd(-50))
        #expect(try usd(150).negated() == usd(-150))
        #expect(try usd(-150).negated() == usd(150))
        #expect(try usd(150).multiplied(by: 12) == usd(1800))
        #expect(try usd(150).multiplied(by: -2) == usd(-300))
        #expect(try usd(Int64.max).adding(usd(Int64.min)) == usd(-1))
    }

    @Test func overflowIsAnErrorNotATrap() {
        let cases: [(String, () throws(PledgerError) -> Money)] = [
            ("max + 1", { () throws(PledgerError) in try usd(Int64.max).adding(usd(1)) }),
            ("min + -1", { () throws(PledgerError) in try usd(Int64.min).adding(usd(-1)) }),
            ("min - 1", { () throws(PledgerError) in try usd(Int64.min).subtracting(usd(1)) }),
            ("0 - min", { () throws(PledgerError) in try usd(0).subtracting(usd(Int64.min)) }),
            ("-min", { () throws(PledgerError) in try usd(Int64.min).negated() }),
            ("max * 2", { () throws(PledgerError) in try usd(Int64.max).multiplied(by: 2) }),
            ("min * -1", { () throws(PledgerError) in try usd(Int64.min).multiplied(by: -1) }),
            ("big * big", { () throws(PledgerError) in try usd(4_000_000_000).multiplied(by: 4_000_000_000) }),
        ]
        for (name, operation) in cases {
            let error = thrown(operation)
            #expect(error?.code == "amount_overflow", "\(name)")
            #expect(error?.kind == .invalid, "\(name)")
            #expect(error?.message.contains("out of range") == true, "\(name)")
        }
    }

    @Test func currenciesAreNeverMixed() {
        let usdAmount = usd(500)
        let eurAmount = Money(minorUnits: 500, currency: .eur)
        for error in [
            thrown { () throws(PledgerError) in try usdAmount.adding(eurAmount) },
            thrown { () throws(PledgerError) in try usdAmount.subtracting(eurAmount) },
        ] {
            #expect(error?.code == "currency_mismatch")
            #expect(error?.kind == .refused)
            #expect(error?.message.contains("EUR") == true)
            #expect(error?.message.contains("USD") == true)
        }
    }

    static let divisionCases: [(Int64, Int64, Int64)] = [
        (25, 10, 2), (35, 10, 4), (-25, 10, -2), (-35, 10, -4), (26, 10, 3),
        (24, 10, 2), (-26, 10, -3), (1200, 12, 100), (1, 3, 0), (2, 3, 1), (0, 7, 0),
        (Int64.max, 2, 4_611_686_018_427_387_904), (Int64.min, 2, -4_611_686_018_427_387_904),
        (Int64.max - 1, Int64.max, 1), (Int64.max / 2, Int64.max, 0), (Int64.min, Int64.max, -1),
    ]

    @Test("Division rounds half to even", arguments: MoneyTests.divisionCases)
    func dividedRoundingHalfEven(_ minor: Int64, _ divisor: Int64, _ expected: Int64) throws {
        #expect(try usd(minor).dividedRoundingHalfEven(by: divisor) == usd(expected))
    }

    @Test func divisionByZeroOrLessIsRefused() {
        for divisor: Int64 in [0, -12] {
            let error = thrown { () throws(PledgerError) in try usd(1200).dividedRoundingHalfEven(by: divisor) }
            #expect(error?.field == "divisor")
        }
    }

    // MARK: - Formatting

    static let formattingCases: [(Money, String, String)] = [
        (Money(minorUnits: 15500, currency: .usd), "155.00", "155.00 USD"),
        (Money(minorUnits: 0, currency: .usd), "0.00", "0.00 USD"),
        (Money(minorUnits: 5, currency: .usd), "0.05", "0.05 USD"),
        (Money(minorUnits: -1200, currency: .usd), "-12.00", "-12.00 USD"),
        (Money(minorUnits: -5, currency: .usd), "-0.05", "-0.05 USD"),
        (Money(minorUnits: 123_450, currency: .usd), "1234.50", "1,234.50 USD"),
        (Money(minorUnits: 99_900, currency: .usd), "999.00", "999.00 USD"),
        (Money(minorUnits: 100_000, currency: .usd), "1000.00", "1,000.00 USD"),
        (Money(minorUnits: 1000, currency: .jpy), "1000", "1,000 JPY"),
        (Money(minorUnits: 0, currency: .jpy), "0", "0 JPY"),
        (Money(minorUnits: -1_234_567, currency: .jpy), "-1234567", "-1,234,567 JPY"),
        (Money(minorUnits: 250, currency: .kwd), "0.250", "0.250 KWD"),
        (Money(minorUnits: -1_234_567_891, currency: .kwd), "-1234567.891", "-1,234,567.891 KWD"),
        (Money(minorUnits: 12345, currency: .clf), "1.2345", "1.2345 CLF"),
        (Money(minorUnits: Int64.max, currency: .usd), "92233720368547758.07", "92,233,720,368,547,758.07 USD"),
        (Money(minorUnits: Int64.min, currency: .usd), "-92233720368547758.08", "-92,233,720,368,547,758.08 USD"),
    ]

    @Test("Formatting", arguments: MoneyTests.formattingCases)
    func formatting(_ money: Money, _ decimal: String, _ grouped: String) {
        #expect(money.decimalString == decimal)
        #expect(money.grouped == grouped)
        #expect(money.description == "\(decimal) \(money.currency.code)")
    }

    // MARK: - CurrencyTotals

    @Test func totalsAreKeptPerCurrency() throws {
        var totals = CurrencyTotals()
        #expect(totals.currencies.isEmpty)
        #expect(totals[.usd] == .zero(.usd))
        try totals.add(usd(500))
        try totals.add(Money(minorUnits: 700, currency: .eur))
        try totals.add(usd(250))
        try totals.add(Money(minorUnits: 1000, currency: .jpy))
        try totals.subtract(usd(50))
        #expect(totals[.usd] == usd(700))
        #expect(totals[.eur] == Money(minorUnits: 700, currency: .eur))
        #expect(totals[.jpy] == Money(minorUnits: 1000, currency: .jpy))
        #expect(totals[.gbp] == .zero(.gbp))
        #expect(totals.currencies == [.eur, .jpy, .usd])
    }

    @Test func totalsBackToZeroStillListTheirCurrency() throws {
        var totals = CurrencyTotals()
        try totals.add(usd(500))
        try totals.add(usd(-500))
        #expect(totals.currencies == [.usd])
        #expect(totals[.usd].isZero)
    }

    @Test func totalsOverflowIsAnErrorAndLeavesTheSum() throws {
        var totals = CurrencyTotals()
        try totals.add(usd(Int64.max))
        let before = totals
        do {
            try totals.add(usd(1))
            Issue.record("expected amount_overflow")
        } catch {
            #expect(error.code == "amount_overflow")
        }
        #expect(totals == before)
        #expect(totals[.usd] == usd(Int64.max))
    }

    @Test func totalsEquality() throws {
        var a = CurrencyTotals()
        var b = CurrencyTotals()
        try a.add(usd(1))
        try b.add(usd(1))
        #expect(a == b)
        try b.add(Money(minorUnits: 1, currency: .eur))
        #expect(a != b)
    }

    // MARK: - MinimumPledgePolicy

    static let defaultMinimumCases: [(Currency, Int64)] = [
        (.usd, 200), (.eur, 200), (.gbp, 200), (.rub, 200), (.jpy, 1), (.kwd, 1000),
        (.clf, 10_000), (Currency(code: "UYI")!, 1), (Currency(code: "BHD")!, 1000), (Currency(code: "ISK")!, 1),
    ]

    @Test("Default minimums", arguments: MoneyTests.defaultMinimumCases)
    func defaultMinimums(_ currency: Currency, _ minor: Int64) {
        #expect(MinimumPledgePolicy.default.minimum(for: currency) == Money(minorUnits: minor, currency: currency))
    }

    @Test func checkRefusesBelowTheMinimum() throws {
        let policy = MinimumPledgePolicy.default
        try policy.check(usd(200))
        try policy.check(usd(5000))
        try policy.check(Money(minorUnits: 1, currency: .jpy))

        let error = thrown { () throws(PledgerError) in try policy.check(usd(199)) }
        #expect(
            error
                == PledgerError(
                    .refused, code: "amount_below_minimum", field: "amount", message: "must be at least 2.00 USD"))

        let kwd = thrown { () throws(PledgerError) in
            try policy.check(Money(minorUnits: 999, currency: .kwd), field: "pledge_amount")
        }
        #expect(kwd?.field == "pledge_amount")
        #expect(kwd?.message == "must be at least 1.000 KWD")

        let jpy = thrown { () throws(PledgerError) in try policy.check(.zero(.jpy)) }
        #expect(jpy?.code == "amount_below_minimum")
    }

    @Test func overridesReplaceTheDefault() throws {
        let policy = MinimumPledgePolicy(overrides: [.usd: 300, .jpy: 500, .eur: 0, .gbp: -5])
        #expect(policy.minimum(for: .usd) == usd(300))
        #expect(policy.minimum(for: .jpy) == Money(minorUnits: 500, currency: .jpy))
        #expect(policy.minimum(for: .eur) == .zero(.eur))
        #expect(policy.minimum(for: .gbp) == .zero(.gbp))
        #expect(policy.minimum(for: .rub) == Money(minorUnits: 200, currency: .rub))
        try policy.check(.zero(.eur))
        let error = thrown { () throws(PledgerError) in try policy.check(Money(minorUnits: 499, currency: .jpy)) }
        #expect(error?.message == "must be at least 500 JPY")
        #expect(policy != .default)
    }

    @Test func parseTheEnvironmentForm() throws {
        let policy = try MinimumPledgePolicy.parse("USD=3.00,JPY=500")
        #expect(policy == MinimumPledgePolicy(overrides: [.usd: 300, .jpy: 500]))
        #expect(policy.minimum(for: .eur) == Money(minorUnits: 200, currency: .eur))

        let spaced = try MinimumPledgePolicy.parse(" USD = 3 , KWD=1.5 ")
        #expect(spaced.overrides == [.usd: 300, .kwd: 1500])

        #expect(try MinimumPledgePolicy.parse("") == .default)
        #expect(try MinimumPledgePolicy.parse("  ") == .default)
    }

    @Test(
        "Refused PLEDGER_MIN_PLEDGE values",
        arguments: [
            ("usd=3", "use USD"),
            ("USD=3.001", "USD allows at most 2 decimals"),
            ("USD=-3", "must not be negative"),
            ("USD=abc", "is not an amount"),
            ("XYZ=3", "not a known ISO 4217 currency code"),
            ("USD", "is not CODE=AMOUNT"),
            ("USD=3,,JPY=5", "empty entry"),
            ("USD=3,", "empty entry"),
            ("USD=3,USD=4", "gives USD more than once"),
            ("=3", "must not be empty"),
        ])
    func refusedPolicies(_ text: String, _ fragment: String) {
        let error = thrown { () throws(PledgerError) in try MinimumPledgePolicy.parse(text) }
        #expect(error?.kind == .invalid)
        #expect(error?.field == "PLEDGER_MIN_PLEDGE")
        #expect(error?.message.contains(fragment) == true, "message was: \(error?.message ?? "none")")
    }

    @Test func parseErrorsNameTheFieldGiven() {
        let error = thrown { () throws(PledgerError) in try MinimumPledgePolicy.parse("USD=1e3", field: "--min-pledge")
        }
        #expect(error?.field == "--min-pledge")
        #expect(error?.message.contains("USD=1e3") == true)
        #expect(error?.message.contains("exponent notation") == true)
    }
}
