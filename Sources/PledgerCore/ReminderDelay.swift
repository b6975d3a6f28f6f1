import Foundation

/// A reader-chosen delay such as `3d`, `2w`, `12h` or `90m`.
public struct ReminderDelay: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    public static func days(_ days: Int64) -> ReminderDelay { ReminderDelay(seconds: days * 86_400) }

    /// Parses `<positive integer><m|h|d|w>`; at most 366 days.
    public static func parse(_ text: String, field: String = "in") throws(PledgerError) -> ReminderDelay {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = trimmed.last
        let unitSeconds: Int64? =
            switch unit {
            case "m": 60
            case "h": 3_600
            case "d": 86_400
            case "w": 604_800
            default: nil
            }
        guard let unitSeconds, let count = Int64(trimmed.dropLast()), count > 0,
            trimmed.dropLast().allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw .invalid(field, "\"\(text)\" is not a delay; use a positive number and a unit: 90m, 12h, 3d, 2w")
        }
        guard count <= 366 * 86_400 / unitSeconds else {
            throw .invalid(field, "\"\(text)\" is longer than a year")
        }
        return ReminderDelay(seconds: count * unitSeconds)
    }

    public var description: String {
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3_600)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds / 60)m"
    }
}
