import Foundation
import PledgerCore
import PledgerStore

/// "Remind me later", as the site or a person says it.
public struct ReminderRequest: Sendable {
    public var email: String
    public var externalRef: String?
    public var campaign: String?
    public var when: ReminderPolicy.Request
    public var at: Date?

    public init(
        email: String, externalRef: String? = nil, campaign: String? = nil,
        when: ReminderPolicy.Request = .defaultDelay, at: Date? = nil
    ) {
        self.email = email
        self.externalRef = externalRef
        self.campaign = campaign
        self.when = when
        self.at = at
    }
}

/// What scheduling did: a new reminder, or a deferral of the open one.
public struct ScheduledReminder: Sendable, Equatable {
    public let reminder: Reminder
    public let deferred: Bool
}

extension Pledger {
    /// Schedules a reminder, or defers the supporter's open one for the same campaign;
    /// refused past the policy's deferral limit.
    public func scheduleReminder(_ request: ReminderRequest, commit: CommitHook<ScheduledReminder>? = nil) async throws
        -> ScheduledReminder
    {
        let email = try EmailAddress(request.email)
        let externalRef = try normaliseExternalRef(request.externalRef)
        let campaign = try Self.optionalLabel(request.campaign, field: "campaign") ?? Reminder.defaultCampaign
        let at = try occurredAt(request.at)
        let policy = config.reminders
        return try await store.write { session in
            let supporterID = try self.supporterID(session, email: email, externalRef: externalRef, at: at)
            let open = try session.openReminder(supporterID: supporterID, campaign: campaign)
            let result: ScheduledReminder
            switch try policy.decide(request.when, now: at, openDeferrals: open?.deferrals) {
            case .schedule(let dueAt):
                let id = EntityID.make("rm")
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
            try commit?(session, result)
            return result
        }
    }

    /// Open reminders due at `at` (default now), earliest first: what the sender should send.
    public func dueReminders(at given: Date? = nil, limit: Int = 1000) async throws -> [Reminder] {
        let at = given ?? clock.now
        guard (1...10_000).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 10000") }
        return try await store.read { try $0.dueReminders(at: at, limit: limit) }
    }

    /// Acknowledges that a reminder was sent. Acknowledging again changes nothing (at-least-once hand-off).
    public func markReminderSent(id: String, at given: Date? = nil, commit: CommitHook<Reminder>? = nil) async throws
        -> Reminder
    {
        try TextField.check(id, field: "id")
        let at = try occurredAt(given)
        return try await store.write { session in
            guard let reminder = try session.reminder(id: id) else { throw Self.notFound("reminder", id) }
            if reminder.status == .open {
                try session.markReminderSent(id, at: at)
            }
            let acknowledged = try session.reminder(id: id)!
            try commit?(session, acknowledged)
            return acknowledged
        }
    }

    /// Reminders, most recently created first.
    public func reminders(status: ReminderStatus? = nil, email: String? = nil, limit: Int = 100) async throws
        -> [Reminder]
    {
        let email = try email.map { text throws(PledgerError) in try EmailAddress(text).value }
        guard (1...10_000).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 10000") }
        return try await store.read { try $0.reminders(status: status, email: email, limit: limit) }
    }
}
