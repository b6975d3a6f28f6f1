import Foundation

/// A "remind me later" from the box, waiting for the reader to confirm it from the e-mail
/// (double opt-in). Until then no supporter or reminder exists; after ``BoxConfiguration/confirmationTTL``
/// it is deleted, e-mail included.
public struct UnconfirmedReminder: Sendable, Equatable, IdentifiedEntity {
    public static let idPrefix = "rq"

    public var id: ID<UnconfirmedReminder>
    /// Nil once confirmed (the reminder holds it then) or erased.
    public var email: String?
    public var attribution: Attribution
    public var requestedAt: Date
    public var expiresAt: Date
    public var confirmedAt: Date?
    public var reminderID: ID<Reminder>?

    public init(
        id: ID<UnconfirmedReminder>, email: String?, attribution: Attribution, requestedAt: Date, expiresAt: Date,
        confirmedAt: Date? = nil, reminderID: ID<Reminder>? = nil
    ) {
        self.id = id
        self.email = email
        self.attribution = attribution
        self.requestedAt = requestedAt
        self.expiresAt = expiresAt
        self.confirmedAt = confirmedAt
        self.reminderID = reminderID
    }

    /// What a confirmation link does with this request at `now`.
    public enum Confirmation: Equatable, Sendable {
        /// Schedule the reminder now.
        case confirm
        /// Already confirmed: show the same page, change nothing.
        case alreadyConfirmed(ID<Reminder>)
        /// Too late (the link's own expiry is checked first; this is the record's).
        case expired
    }

    public func confirmation(at now: Date) -> Confirmation {
        if let reminderID { return .alreadyConfirmed(reminderID) }
        return now < expiresAt ? .confirm : .expired
    }
}

/// What the box's beacon counts: per UTC day, campaign and page path, with no ids.
public enum BoxBeaconKind: String, Sendable, CaseIterable {
    case shown, continued

    public static func parse(_ text: String?, field: String = "kind") throws(PledgerError) -> BoxBeaconKind {
        guard let text, let kind = BoxBeaconKind(rawValue: text) else {
            throw .invalid(field, "must be shown or continued")
        }
        return kind
    }
}
