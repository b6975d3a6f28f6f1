import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension StoreSession {
    public func unannouncedDueReminders(at: Date, limit: Int) throws -> [Reminder] {
        try fetchRows(
            sql: Self.reminderSelect + """
                 WHERE r.status = 'open' AND r.due_at <= ?
                   AND NOT EXISTS (SELECT 1 FROM job_notices n
                                   WHERE n.job = 'reminder_due' AND n.subject_id = r.id AND n.due_at = r.due_at)
                 ORDER BY r.due_at, r.id LIMIT ?
                """,
            arguments: [ms(at), limit]
        ).map(Self.reminder)
    }

    public func activePledges(cadence: Cadence, after: ID<Pledge>?, limit: Int) throws -> [Pledge] {
        try fetchRows(
            sql: Self.pledgeSelect + """
                 WHERE p.status = 'active' AND p.cadence = ? AND p.first_paid_at IS NOT NULL AND p.id > ?
                 ORDER BY p.id LIMIT ?
                """,
            arguments: [cadence.rawValue, after?.rawValue ?? "", limit]
        ).map(Self.pledge)
    }

    public func pendingPledges(createdBefore cutoff: Date, limit: Int) throws -> [Pledge] {
        try fetchRows(
            sql: Self.pledgeSelect + " WHERE p.status = 'pending' AND p.created_at < ? ORDER BY p.created_at LIMIT ?",
            arguments: [ms(cutoff), limit]
        ).map(Self.pledge)
    }

    public func hasNotice(job: ScheduledJob, subject: String, dueAt: Date) throws -> Bool {
        try fetchOne(
            Int64.self, sql: "SELECT 1 FROM job_notices WHERE job = ? AND subject_id = ? AND due_at = ?",
            arguments: [job.rawValue, subject, ms(dueAt)]) != nil
    }

    public func recordNotice(job: ScheduledJob, subject: String, dueAt: Date, eventID: ID<OutboundEvent>) throws {
        try exec(
            sql: "INSERT INTO job_notices (job, subject_id, due_at, event_id) VALUES (?, ?, ?, ?)",
            arguments: [job.rawValue, subject, ms(dueAt), eventID])
    }
}
