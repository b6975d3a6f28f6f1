import Foundation
import PledgerCore

/// "Remind me later": reminders and their dated events.
public protocol ReminderRecords {
    func openReminder(supporterID: ID<Supporter>, campaign: String) throws -> Reminder?
    func reminder(id: ID<Reminder>) throws -> Reminder?
    func insertReminder(_ reminder: Reminder) throws
    func deferReminder(_ id: ID<Reminder>, dueAt: Date, deferrals: Int, at: Date) throws
    func markReminderSent(_ id: ID<Reminder>, at: Date) throws
    /// Marks the supporter's open and sent reminders converted by a pledge.
    /// - Returns: how many were converted.
    func convertReminders(supporterID: ID<Supporter>, pledgeID: ID<Pledge>, at: Date) throws -> Int
    /// Open reminders due at `at`, earliest first.
    func dueReminders(at: Date, limit: Int) throws -> [Reminder]
    /// Most recently created first.
    func reminders(status: ReminderStatus?, email: String?, limit: Int) throws -> [Reminder]
}
