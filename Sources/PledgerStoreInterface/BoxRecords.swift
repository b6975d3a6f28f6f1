import Foundation
import PledgerCore

/// The reader's box: publishable keys, attributions, "remind me later" requests awaiting
/// confirmation, the funnel's counters, and the key that signs links.
public protocol BoxRecords {
    func insertPublishableKey(_ key: PublishableKey) throws
    func publishableKey(_ key: String) throws -> PublishableKey?
    func publishableKeys() throws -> [PublishableKey]
    /// Revokes a live key; false when it is unknown or already revoked.
    func revokePublishableKey(_ key: String, at: Date) throws -> Bool

    /// Keeps where a box pledge or a confirmed box reminder came from.
    func insertAttribution(_ attribution: Attribution, pledgeID: ID<Pledge>, at: Date) throws
    func insertAttribution(_ attribution: Attribution, reminderID: ID<Reminder>, at: Date) throws
    func attribution(pledgeID: ID<Pledge>) throws -> Attribution?
    func attribution(reminderID: ID<Reminder>) throws -> Attribution?

    func insertReminderRequest(_ request: UnconfirmedReminder) throws
    func reminderRequest(id: ID<UnconfirmedReminder>) throws -> UnconfirmedReminder?
    /// Marks a request confirmed and forgets its e-mail (the reminder holds it now).
    func confirmReminderRequest(_ id: ID<UnconfirmedReminder>, reminderID: ID<Reminder>, at: Date) throws
    /// Unconfirmed requests that expired at or before `at`, oldest first.
    func expiredReminderRequests(at: Date, limit: Int) throws -> [ID<UnconfirmedReminder>]
    /// Unconfirmed requests for an e-mail (erasure deletes them).
    func reminderRequests(email: String) throws -> [ID<UnconfirmedReminder>]
    /// Deletes an unconfirmed request, e-mail included.
    func deleteReminderRequest(_ id: ID<UnconfirmedReminder>) throws
    /// The events about a request, so that its e-mail can be erased from them.
    func events(requestID: ID<UnconfirmedReminder>) throws -> [OutboundEvent]

    /// Adds one to a funnel counter of a UTC day, campaign and page path.
    func countBox(_ counter: BoxCounter, day: String, campaign: String, pagePath: String) throws

    /// The link-signing key kept in the ledger, made (with `make`) on first use.
    func linkSecret(orMake make: () -> String, at: Date) throws -> String
}

/// The funnel's anonymous counters.
public enum BoxCounter: String, Sendable {
    case shown, continued
    case remindRequested = "remind_requested"
}
