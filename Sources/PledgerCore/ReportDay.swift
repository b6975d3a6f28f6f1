import Foundation

/// A calendar day `YYYY-MM-DD` read in a time zone: `[local midnight, next local midnight)`.
/// Used where a person gives dates rather than instants (export ranges, exchange-rate dates).
public struct ReportDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD`, refusing impossible dates such as 2026-02-30.
    public static func parse(_ text: String, field: String) throws(PledgerError) -> ReportDay {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            year >= 1970, (1...12).contains(month), (1...ReportMonth(year: year, month: month).dayCount).contains(day)
        else {
            throw .invalid(field, "\"\(text)\" is not a date; use YYYY-MM-DD, e.g. 2026-10-31")
        }
        return ReportDay(year: year, month: month, day: day)
    }

    /// The day containing `instant` in `timeZone`.
    public static func containing(_ instant: Date, in timeZone: TimeZone) -> ReportDay {
        let parts = Calendar.gregorian(timeZone).dateComponents([.year, .month, .day], from: instant)
        return ReportDay(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    private init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day's first instant in `timeZone`.
    public func start(in timeZone: TimeZone) -> Date {
        Calendar.gregorian(timeZone).date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// The first instant of the next day in `timeZone`: the end of a range that includes this day.
    public func end(in timeZone: TimeZone) -> Date {
        Calendar.gregorian(timeZone).date(byAdding: .day, value: 1, to: start(in: timeZone))!
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: ReportDay, rhs: ReportDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
