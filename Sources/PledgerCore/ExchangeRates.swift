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

/// The rates file given to a report with `--in CUR --rates FILE`.
///
/// A CSV file with the header `date,currency,rate`; each row says that on `date` (`YYYY-MM-DD`)
/// one unit of `currency` was worth `rate` units of the `--in` currency (a plain decimal such
/// as `0.9215`, at most 12 decimals). Blank lines and lines starting with `#` are ignored. For a
/// month, the report uses each currency's rate with the latest date within that month — the
/// month's closing rate when the file has one row per business day or per month end.
public struct ExchangeRates: Sendable, Equatable {
    public let target: Currency
    /// Where the rates came from (a file name), for messages.
    public let source: String
    private let byCurrency: [Currency: [ExchangeRate]]

    /// Parses a rates file; any bad line is refused with `PledgerError.invalid("rates", …)` naming its line number.
    public static func parse(_ text: String, target: Currency, source: String) throws(PledgerError) -> ExchangeRates {
        var rates: [Currency: [ExchangeRate]] = [:]
        var seen: Set<String> = []
        var sawHeader = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            let number = index + 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if !sawHeader {
                guard fields == ["date", "currency", "rate"] else {
                    throw .invalid(
                        "rates", "\(source) line \(number): the first line must be the header date,currency,rate")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 3 else {
                throw .invalid(
                    "rates", "\(source) line \(number): expected 3 fields date,currency,rate, found \(fields.count)")
            }
            guard isDay(fields[0]) else {
                throw .invalid("rates", "\(source) line \(number): \"\(fields[0])\" is not a date; use YYYY-MM-DD")
            }
            let currency: Currency
            do {
                currency = try Currency.parse(fields[1], field: "rates")
            } catch {
                throw .invalid("rates", "\(source) line \(number): \(error.message)")
            }
            let (digits, scale) = try parseRate(fields[2], line: number, source: source)
            guard seen.insert("\(fields[0]) \(currency.code)").inserted else {
                throw .invalid("rates", "\(source) line \(number): a second \(currency.code) rate for \(fields[0])")
            }
            rates[currency, default: []].append(
                ExchangeRate(
                    date: fields[0], currency: currency, target: target, digits: digits, scale: scale, text: fields[2]))
        }
        guard sawHeader else {
            throw .invalid("rates", "\(source) is empty; it needs the header date,currency,rate and one row per rate")
        }
        return ExchangeRates(
            target: target, source: source, byCurrency: rates.mapValues { $0.sorted { $0.date < $1.date } })
    }

    /// The rate for `currency` in `month`: the one with the latest date within the month. Nil for
    /// the target currency itself (no conversion). A missing rate is an error naming the currency and date.
    public func rate(for currency: Currency, in month: ReportMonth) throws(PledgerError) -> ExchangeRate? {
        guard currency != target else { return nil }
        let first = "\(month)-01"
        let last = "\(month)-\(String(format: "%02d", month.dayCount))"
        guard let rate = byCurrency[currency]?.last(where: { $0.date >= first && $0.date <= last }) else {
            throw PledgerError(
                .invalid, code: "missing_rate", field: "rates",
                message:
                    "no \(currency.code) rate for \(last) in \(source): add a row \(last),\(currency.code),<rate> (\(currency.code) → \(target.code); any date in \(month) will do, the latest one is used)"
            )
        }
        return rate
    }

    private static func isDay(_ text: String) -> Bool {
        (try? ReportDay.parse(text, field: "date")) != nil
    }

    private static func parseRate(_ text: String, line: Int, source: String) throws(PledgerError) -> (Int64, Int) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || !parts[1].isEmpty
        else {
            throw .invalid(
                "rates", "\(source) line \(line): \"\(text)\" is not a rate; write a plain decimal such as 0.9215")
        }
        let scale = parts.count == 2 ? parts[1].count : 0
        guard scale <= ExchangeRate.maximumScale else {
            throw .invalid(
                "rates", "\(source) line \(line): \"\(text)\" has more than \(ExchangeRate.maximumScale) decimals")
        }
        guard let digits = Int64(parts.joined()), digits <= 1_000_000_000_000_000 else {
            throw .invalid("rates", "\(source) line \(line): \"\(text)\" is too large a rate")
        }
        guard digits > 0 else { throw .invalid("rates", "\(source) line \(line): a rate must be more than zero") }
        return (digits, scale)
    }
}

/// A report's money figures converted into one currency: each currency's figure is converted at
/// its month's rate and rounded half to even to the target's minor unit, then the currencies are
/// added. Net is worked out from the converted parts so the converted statement adds up; ARR is 12 × MRR.
public struct ConvertedTotals: Sendable, Equatable, Codable {
    /// A rate the conversion used.
    public struct Rate: Sendable, Equatable, Codable {
        public var currency: String
        public var date: String
        /// As written in the rates file: units of the target currency per unit of `currency`.
        public var rate: String

        public init(currency: String, date: String, rate: String) {
            self.currency = currency
            self.date = date
            self.rate = rate
        }
    }

    public var currency: String
    public var rates: [Rate] = []
    public var gross: Int64 = 0
    public var refunds: Int64 = 0
    public var chargebacks: Int64 = 0
    public var fees: Int64 = 0
    public var net: Int64 = 0
    /// MRR at the month's end.
    public var mrr: Int64 = 0
    public var mrrAtRisk: Int64 = 0
    public var arr: Int64 = 0

    public init(currency: String) {
        self.currency = currency
    }

    /// Converts and adds up `figures` (one block per currency) for `month` with `rates`.
    /// - Throws: `PledgerError` naming the currency and date when a rate is missing, or on overflow.
    public static func convert(_ figures: [MonthlyReport.CurrencyFigures], month: ReportMonth, rates: ExchangeRates)
        throws(PledgerError) -> ConvertedTotals
    {
        var totals = ConvertedTotals(currency: rates.target.code)
        for block in figures {
            guard let currency = Currency(code: block.currency) else {
                throw .invalid("rates", "\(block.currency) is not a currency Pledger can convert")
            }
            let rate = try rates.rate(for: currency, in: month)
            func convert(_ value: Int64) throws(PledgerError) -> Int64 { try rate?.convert(value) ?? value }
            if let rate { totals.rates.append(Rate(currency: currency.code, date: rate.date, rate: rate.text)) }
            totals.gross = try checkedAdd(totals.gross, convert(block.receipts.gross))
            totals.refunds = try checkedAdd(totals.refunds, convert(block.receipts.refunds))
            totals.chargebacks = try checkedAdd(totals.chargebacks, convert(block.receipts.chargebacks))
            totals.fees = try checkedAdd(totals.fees, convert(block.receipts.fees))
            totals.mrr = try checkedAdd(totals.mrr, convert(block.mrr.end))
            totals.mrrAtRisk = try checkedAdd(totals.mrrAtRisk, convert(block.mrrAtRisk))
        }
        var receipts = MonthlyReport.Receipts()
        (receipts.gross, receipts.refunds, receipts.chargebacks, receipts.fees) = (
            totals.gross, totals.refunds, totals.chargebacks, totals.fees
        )
        try receipts.computeNet()
        totals.net = receipts.net
        let (arr, overflow) = totals.mrr.multipliedReportingOverflow(by: 12)
        guard !overflow else {
            throw PledgerError(
                .refused, code: "amount_overflow", message: "converted ARR exceeds the largest amount Pledger can hold")
        }
        totals.arr = arr
        return totals
    }
}

extension ReportMonth {
    /// How many days the month has (28–31).
    public var dayCount: Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
