import Foundation

/// Parsing and printing of instants as ISO 8601, the only textual form Pledger accepts.
public enum Timestamp {
    /// Parses `2026-11-01T09:30:00Z`, `2026-11-01T12:30:00+03:00`, with optional fractional
    /// seconds, or a bare date `2026-11-01` (midnight UTC). Anything else is refused, naming `field`.
    public static func parse(_ text: String, field: String) throws(PledgerError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw .invalid(field, "must not be empty; use ISO 8601 such as 2026-11-01T09:30:00Z")
        }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) {
            return date
        }
        if trimmed.count == 10,
           let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            return date
        }
        throw .invalid(field, "\"\(trimmed)\" is not an ISO 8601 time; use e.g. 2026-11-01T09:30:00Z")
    }

    /// `2026-11-01T09:30:00Z` (UTC, whole seconds; milliseconds when present).
    public static func format(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let whole = Date(timeIntervalSince1970: TimeInterval(ms.floorDiv(1000)))
        let text = whole.formatted(Date.ISO8601FormatStyle())
        let fraction = ms.floorMod(1000)
        guard fraction != 0 else { return text }
        return String(text.dropLast()) + "." + String(format: "%03d", fraction) + "Z"
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

    /// Refuses an instant meant as "when it happened" that lies in the future.
    public static func checkHappened(_ instant: Date, now: Date, field: String = "at") throws(PledgerError) {
        guard instant.timeIntervalSince(now) <= allowedFutureSkew else {
            throw .invalid(field, "\(format(instant)) is in the future (now is \(format(now))); it says when something happened")
        }
    }
}
