import Foundation

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
    /// - Throws: `invalid` for a time not after `now` or more than 366 days after it; `refused`
    ///   (`deferral_limit_reached`) past the limit.
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
