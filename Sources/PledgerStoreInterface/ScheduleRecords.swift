import Foundation
import PledgerCore

/// What the scheduled jobs read (reminders come due, pledges about to renew or gone stale) and
/// what they already announced, so that a job run twice announces nothing twice.
public protocol ScheduleRecords {
    /// Open reminders due at `at` whose current due time has not been announced yet, earliest first.
    func unannouncedDueReminders(at: Date, limit: Int) throws -> [Reminder]
    /// Active, paid pledges of `cadence` after the pledge `after` (in id order), for the renewal notices.
    func activePledges(cadence: Cadence, after: ID<Pledge>?, limit: Int) throws -> [Pledge]
    /// Pending pledges created before `cutoff`, oldest first.
    func pendingPledges(createdBefore cutoff: Date, limit: Int) throws -> [Pledge]
    /// Whether `job` already announced `subject` for `dueAt`.
    func hasNotice(job: ScheduledJob, subject: String, dueAt: Date) throws -> Bool
    func recordNotice(job: ScheduledJob, subject: String, dueAt: Date, eventID: ID<OutboundEvent>) throws
}

/// The jobs that remember what they announced.
public enum ScheduledJob: String, Sendable {
    case reminderDue = "reminder_due"
    case renewalUpcoming = "renewal_upcoming"
}
