import Foundation

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
