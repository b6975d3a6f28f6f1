import Foundation

/// A fiscal year: twelve months from the 1st of `startMonth`, named by the calendar year it starts in
/// (with `--fiscal-year-start 04`, fiscal year 2026 runs from 2026-04-01 to 2027-03-31).
///
/// Its bounds are midnight UTC, like receipt numbers' years: a statement, the receipts on it and the
/// ledger export in UTC all agree on which year a payment belongs to.
public struct FiscalYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The calendar year the fiscal year starts in.
    public let year: Int
    /// 1 (January, the calendar year) to 12.
    public let startMonth: Int

    public init(year: Int, startMonth: Int = 1) {
        self.year = year
        self.startMonth = startMonth
    }

    /// Parses `--year` (1970 to 9999) and `--fiscal-year-start` (`01` to `12`, default January).
    public static func parse(year text: String, startMonth start: String? = nil) throws(PledgerError) -> FiscalYear {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 4, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(trimmed),
            year >= 1970
        else { throw .invalid("year", "\"\(text)\" is not a year; use four digits, e.g. 2026") }
        return FiscalYear(year: year, startMonth: try parseStartMonth(start))
    }

    /// `04` or `4` is April; nil is January.
    public static func parseStartMonth(_ text: String?) throws(PledgerError) -> Int {
        guard let text else { return 1 }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard (1...2).contains(trimmed.count), trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
            let month = Int(trimmed), (1...12).contains(month)
        else {
            throw .invalid("fiscal-year-start", "\"\(text)\" is not a month; use 01 to 12, e.g. 04 for April")
        }
        return month
    }

    /// The fiscal year (starting in `startMonth`) that holds `instant`.
    public static func containing(_ instant: Date, startMonth: Int = 1) -> FiscalYear {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month], from: instant)
        let year = parts.year!
        return FiscalYear(year: parts.month! >= startMonth ? year : year - 1, startMonth: startMonth)
    }

    /// `[first instant, first instant of the next fiscal year)`, in UTC.
    public var interval: (start: Date, end: Date) {
        (
            ReportMonth(year: year, month: startMonth).interval(in: .gmt).start,
            ReportMonth(year: year + 1, month: startMonth).interval(in: .gmt).start
        )
    }

    public func contains(_ instant: Date) -> Bool {
        let (start, end) = interval
        return instant >= start && instant < end
    }

    public var previous: FiscalYear { FiscalYear(year: year - 1, startMonth: startMonth) }
    public var next: FiscalYear { FiscalYear(year: year + 1, startMonth: startMonth) }

    /// The first day, `2026-04-01`.
    public var firstDay: String { String(format: "%04d-%02d-01", year, startMonth) }

    /// The last day, `2027-03-31`.
    public var lastDay: String {
        String(Timestamp.format(interval.end.addingTimeInterval(-1)).prefix(10))
    }

    /// `2026` for a calendar year, else `2026-04-01 to 2027-03-31`'s short name `2026/27`.
    public var description: String {
        startMonth == 1 ? String(year) : "\(year)/\(String(format: "%02d", (year + 1) % 100))"
    }

    public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool {
        (lhs.year, lhs.startMonth) < (rhs.year, rhs.startMonth)
    }
}
