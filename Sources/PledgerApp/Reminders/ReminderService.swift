import Foundation
import PledgerCore
import PledgerStoreInterface

/// "Remind me later": reminders scheduled and deferred under the policy, handed over when due.
public struct ReminderService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    let policy: ReminderPolicy

    /// Schedules a reminder, or defers the supporter's open one for the same campaign;
    /// refused past the policy's deferral limit.
    public func schedule(_ request: ReminderRequest, commit: CommitHook<ScheduledReminder>? = nil) async throws
        -> ScheduledReminder
    {
        let email = try EmailAddress(request.email)
        let externalRef = try normaliseExternalRef(request.externalRef)
        let campaign = try normaliseLabel(request.campaign, field: "campaign") ?? Reminder.defaultCampaign
        let at = try clock.instant(request.at)
        let now = clock.now
        return try await store.transaction { session in
            let result = try Self.schedule(
                session, email: email, externalRef: externalRef, campaign: campaign, when: request.when,
                policy: policy, at: at, now: now)
            try commit?.run(session, result)
            return result
        }
    }

    /// Schedules or defers inside `session` and announces it: the one path for the API and the box.
    static func schedule(
        _ session: any StoreTransaction, email: EmailAddress, externalRef: String?, campaign: String,
        when: ReminderPolicy.Request, policy: ReminderPolicy, at: Date, now: Date
    ) throws -> ScheduledReminder {
        let supporterID = try SupporterDirectory.supporterID(
            session, email: email, externalRef: externalRef, at: at)
        let open = try session.openReminder(supporterID: supporterID, campaign: campaign)
        let result: ScheduledReminder
        switch try policy.decide(when, now: at, openDeferrals: open?.deferrals) {
        case .schedule(let dueAt):
            let id = ID<Reminder>.make()
            try session.insertReminder(
                Reminder(
                    id: id, supporterID: supporterID, email: email.value, campaign: campaign, status: .open,
                    dueAt: dueAt,
                    deferrals: 0, createdAt: at, sentAt: nil, convertedAt: nil, convertedPledgeID: nil))
            result = ScheduledReminder(reminder: try session.reminder(id: id)!, deferred: false)
        case .deferral(let dueAt, let deferrals):
            let id = open!.id
            try session.deferReminder(id, dueAt: dueAt, deferrals: deferrals, at: at)
            result = ScheduledReminder(reminder: try session.reminder(id: id)!, deferred: true)
        }
        _ = try session.appendEvent(
            .reminderScheduled(result.reminder, deferred: result.deferred, at: at), recordedAt: now)
        return result
    }

    /// Open reminders due at `at` (default now), earliest first: what the sender should send.
    public func due(at given: Date? = nil, limit: Int = 1000) async throws -> [Reminder] {
        let at = given ?? clock.now
        try PledgerError.checkLimit(limit)
        return try await store.snapshot { try $0.dueReminders(at: at, limit: limit) }
    }

    /// Acknowledges that a reminder was sent. Acknowledging again changes nothing (at-least-once hand-off).
    public func markSent(id: ID<Reminder>, at given: Date? = nil, commit: CommitHook<Reminder>? = nil) async throws
        -> Reminder
    {
        try TextField.check(id.rawValue, field: "id")
        let at = try clock.instant(given)
        return try await store.transaction { session in
            guard let reminder = try session.reminder(id: id) else { throw PledgerError.notFound("reminder", id) }
            if reminder.status == .open {
                try session.markReminderSent(id, at: at)
            }
            let acknowledged = try session.reminder(id: id)!
            try commit?.run(session, acknowledged)
            return acknowledged
        }
    }

    /// Reminders, most recently created first.
    public func list(status: ReminderStatus? = nil, email: String? = nil, limit: Int = 100) async throws
        -> [Reminder]
    {
        let email = try email.map { text throws(PledgerError) in try EmailAddress(text).value }
        try PledgerError.checkLimit(limit)
        return try await store.snapshot { try $0.reminders(status: status, email: email, limit: limit) }
    }
}
