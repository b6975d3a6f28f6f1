import PledgerCore

/// What scheduling did: a new reminder, or a deferral of the open one.
public struct ScheduledReminder: Sendable, Equatable {
    public let reminder: Reminder
    public let deferred: Bool
}
