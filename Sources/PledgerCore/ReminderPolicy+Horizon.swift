import Foundation

extension ReminderDelay {
    /// The longest a reminder may lie ahead, however it is asked for (`--in`, `--remind-at`,
    /// `delay_days`, `remind_at`): 366 days, so a yearly appeal can be scheduled in a leap year.
    public static let longest = ReminderDelay(seconds: 366 * 86_400)

    /// A delay of whole days, as the API's `delay_days` gives it: from 1 to 366, naming `field` otherwise.
    public static func days(_ days: Int64, field: String) throws(PledgerError) -> ReminderDelay {
        guard days >= 1, days <= longest.seconds / 86_400 else {
            throw .invalid(field, "must be from 1 to \(longest.seconds / 86_400) (days)")
        }
        return .days(days)
    }
}

extension ReminderPolicy {
    /// Refuses a due time more than ``ReminderDelay/longest`` after `now`: the one limit for a delay
    /// and for an exact time, in the API and the CLI alike.
    static func checkHorizon(_ dueAt: Date, now: Date, field: String) throws(PledgerError) {
        guard dueAt.timeIntervalSince(now) <= TimeInterval(ReminderDelay.longest.seconds) else {
            throw .invalid(
                field,
                "\(Timestamp.format(dueAt)) is more than 366 days after \(Timestamp.format(now)); a reminder is at most 366 days ahead"
            )
        }
    }
}
