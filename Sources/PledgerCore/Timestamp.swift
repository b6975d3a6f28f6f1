import Foundation

/// Parsing and printing of instants as ISO 8601, the only textual form Pledger accepts.
public enum Timestamp {
    /// Parses `2026-11-01T09:30:00Z`, `2026-11-01T12:30:00+03:00`, with optional fractional
    /// seconds (kept to the millisecond). A bare date `2026-11-01` is refused (``refuseBareDate(_:field:)``).
    /// Anything else — including impossible fields such as `2026-02-30` or `25:00` — is refused, naming `field`.
    public static func parse(_ text: String, field: String) throws(PledgerError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let example = "use ISO 8601 such as 2026-11-01T09:30:00Z"
        guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty; \(example)") }
        guard let parts = ISO8601Parts(trimmed) else {
            throw .invalid(field, "\"\(trimmed)\" is not an ISO 8601 time; \(example)")
        }
        try refuseBareDate(trimmed, field: field)
        guard (1...12).contains(parts.month), (1...daysIn(month: parts.month, year: parts.year)).contains(parts.day),
            (0...23).contains(parts.hour), (0...59).contains(parts.minute), (0...59).contains(parts.second),
            (-18 * 3600...18 * 3600).contains(parts.offsetSeconds)
        else {
            throw .invalid(field, "\"\(trimmed)\" is not a real date and time")
        }
        let days = daysFromCivil(year: parts.year, month: parts.month, day: parts.day)
        let seconds =
            days * 86_400 + Int64(parts.hour * 3600 + parts.minute * 60 + parts.second) - Int64(parts.offsetSeconds)
        return date(millis: seconds * 1000 + Int64(parts.millis))
    }

    /// `2026-11-01T09:30:00Z` (UTC, whole seconds; milliseconds when present).
    public static func format(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms.floorDiv(1000)
        let (year, month, day) = civilFromDays(seconds.floorDiv(86_400))
        // Calendar arithmetic by hand: every event body and API view formats instants, and
        // Foundation's format style cost more than the rest of a booking's event.
        guard (1...9999).contains(year) else {
            let text = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle())
            let fraction = ms.floorMod(1000)
            return fraction == 0 ? text : String(text.dropLast()) + "." + String(format: "%03d", fraction) + "Z"
        }
        let ofDay = Int(seconds.floorMod(86_400))
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(ofDay / 3600, 2) + ":" + pad(ofDay / 60 % 60, 2) + ":" + pad(ofDay % 60, 2)
        let fraction = Int(ms.floorMod(1000))
        return fraction == 0 ? text + "Z" : text + "." + pad(fraction, 3) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Milliseconds since 1970, the form instants are stored in.
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }

    func floorMod(_ d: Int64) -> Int64 {
        self - floorDiv(d) * d
    }
}

extension Timestamp {
    /// How far ahead of the clock an entered time may be (clock skew between machines).
    public static let allowedFutureSkew: TimeInterval = 300

    /// Refuses an instant meant as "when it happened" that lies in the future or before ``ledgerStart``.
    public static func checkHappened(_ instant: Date, now: Date, field: String = "at") throws(PledgerError) {
        try checkInLedger(instant, field: field)
        guard instant.timeIntervalSince(now) <= allowedFutureSkew else {
            throw .invalid(
                field, "\(format(instant)) is in the future (now is \(format(now))); it says when something happened")
        }
    }
}

/// The fields of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`, unchecked for range.
private struct ISO8601Parts {
    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0, offsetSeconds = 0

    init?(_ text: String) {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count, range.allSatisfy({ (48...57).contains(b[$0]) }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(b[$1] - 48) }
        }
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
        if b.count == 10 { return }
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        (self.hour, self.minute, self.second) = (hour, minute, second)
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, (48...57).contains(b[i]) { i += 1 }
            let digits = i - start
            guard (1...9).contains(digits) else { return nil }
            // Milliseconds: the first three digits, truncated.
            var value = 0
            for k in 0..<3 { value = value * 10 + (start + k < i ? Int(b[start + k] - 48) : 0) }
            millis = value
        }
        guard i < b.count else { return nil }
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"),
                let hours = number(i + 1..<i + 3), let minutes = number(i + 4..<i + 6), minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
    }
}

private func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

private func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm, the
/// inverse of `daysFromCivil`).
private func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shifted = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shifted + 2) / 5 + 1
    let month = shifted < 10 ? shifted + 3 : shifted - 9
    return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
}

private func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = Int64((month + 9) % 12)
    let doy = (153 * mp + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
