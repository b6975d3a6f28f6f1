import Foundation

/// A calendar month `YYYY-MM` read in a time zone: `[local midnight of the 1st, local midnight of the next 1st)`.
public struct ReportMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init(year: Int, month: Int) {
        precondition((1...12).contains(month), "month out of range")
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public static func parse(_ text: String, field: String = "month") throws(PledgerError) -> ReportMonth {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1970
        else {
            throw .invalid(field, "\"\(text)\" is not a month; use YYYY-MM, e.g. 2026-10")
        }
        return ReportMonth(year: year, month: month)
    }

    public var previous: ReportMonth {
        month == 1 ? ReportMonth(year: year - 1, month: 12) : ReportMonth(year: year, month: month - 1)
    }

    public var next: ReportMonth {
        month == 12 ? ReportMonth(year: year + 1, month: 1) : ReportMonth(year: year, month: month + 1)
    }

    /// The month containing `instant` in `timeZone`.
    public static func containing(_ instant: Date, in timeZone: TimeZone) -> ReportMonth {
        let parts = Calendar.gregorian(timeZone).dateComponents([.year, .month], from: instant)
        return ReportMonth(year: parts.year!, month: parts.month!)
    }

    /// Refuses a month that has not begun at `now` in `timeZone`: a report of it would be all zeros
    /// and look like news. The current month, still running, is allowed.
    public func checkStarted(at now: Date, in timeZone: TimeZone, field: String) throws(PledgerError) {
        let current = Self.containing(now, in: timeZone)
        guard self <= current else {
            throw .invalid(field, "\(self) has not started yet; the current month is \(current)")
        }
    }

    /// The last month that has fully ended at `now` in `timeZone`: the default report month.
    public static func lastComplete(at now: Date, in timeZone: TimeZone) -> ReportMonth {
        containing(now, in: timeZone).previous
    }

    /// The instant the month starts in `timeZone` (its first local midnight).
    public func start(in timeZone: TimeZone) -> Date {
        let calendar = Calendar.gregorian(timeZone)
        // Where midnight does not exist (a DST jump at 00:00), Calendar gives the first instant of the day.
        return calendar.date(from: DateComponents(year: year, month: month, day: 1))!
    }

    /// `[start, end)` of the month in `timeZone`.
    public func interval(in timeZone: TimeZone) -> (start: Date, end: Date) {
        (start(in: timeZone), next.start(in: timeZone))
    }

    public var description: String {
        String(format: "%04d-%02d", year, month)
    }

    public static func < (lhs: ReportMonth, rhs: ReportMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

/// Parses an IANA time zone name (`Europe/Moscow`, `UTC`).
public func parseTimeZone(_ text: String, field: String = "tz") throws(PledgerError) -> TimeZone {
    let name = text.trimmingCharacters(in: .whitespaces)
    if name.uppercased() == "UTC" || name.uppercased() == "Z" { return .gmt }
    guard name.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(name),
        let zone = TimeZone(identifier: name)
    else {
        throw .invalid(field, "\"\(text)\" is not an IANA time zone name such as UTC or Europe/Moscow")
    }
    return zone
}

extension Calendar {
    static func gregorian(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
