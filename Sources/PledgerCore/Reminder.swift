import Foundation

/// Where a reminder stands.
public enum ReminderStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its due time, or due and not yet acknowledged by the sender.
    case open
    /// Handed to the sender and acknowledged.
    case sent
    /// The supporter pledged; kept for the conversion figures.
    case converted
}

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

/// When reminders fall due and how often a reader may put one off. Configurable; defaults per DESIGN.
public struct ReminderPolicy: Sendable, Equatable {
    public var defaultDelay: ReminderDelay
    /// How many times an open reminder may be deferred; scheduling once more is refused.
    public var maxDeferrals: Int

    public init(defaultDelay: ReminderDelay = .days(7), maxDeferrals: Int = 3) {
        self.defaultDelay = defaultDelay
        self.maxDeferrals = maxDeferrals
    }

    public static let `default` = ReminderPolicy()

    /// What the reader asked for: a delay, a time, or nothing (the default delay).
    public enum Request: Sendable, Equatable {
        case defaultDelay
        case delay(ReminderDelay)
        case at(Date)
    }

    /// What scheduling does, given any open reminder for the same supporter and campaign.
    public enum Decision: Sendable, Equatable {
        case schedule(dueAt: Date)
        case deferral(dueAt: Date, deferrals: Int)
    }

    /// Decides a scheduling request made at `now`.
    /// - Parameter openDeferrals: the deferral count of the open reminder, or nil when there is none.
    /// - Throws: `invalid` for a time not after `now` or more than 366 days after it; `refused` (`deferral_limit_reached`) past the limit.
    public func decide(_ request: Request, now: Date, openDeferrals: Int?) throws(PledgerError) -> Decision {
        let dueAt: Date
        switch request {
        case .defaultDelay: dueAt = now.addingTimeInterval(TimeInterval(defaultDelay.seconds))
        case .delay(let delay): dueAt = now.addingTimeInterval(TimeInterval(delay.seconds))
        case .at(let date):
            guard date > now else {
                throw .invalid("remind_at", "\(Timestamp.format(date)) is not after \(Timestamp.format(now))")
            }
            dueAt = date
        }
        try Self.checkHorizon(dueAt, now: now, field: "remind_at")
        guard let openDeferrals else { return .schedule(dueAt: dueAt) }
        guard openDeferrals < maxDeferrals else {
            throw PledgerError(
                .refused, code: "deferral_limit_reached", field: nil,
                message:
                    "this reminder has already been deferred \(openDeferrals) times, the most allowed (\(maxDeferrals)); Pledger stops asking"
            )
        }
        return .deferral(dueAt: dueAt, deferrals: openDeferrals + 1)
    }
}
