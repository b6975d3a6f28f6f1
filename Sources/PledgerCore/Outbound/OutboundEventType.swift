import Foundation

/// The kinds of event Pledger tells the publisher's tools about; `docs/events.md` is the catalogue.
public enum OutboundEventType: String, Sendable, CaseIterable, Codable, Comparable {
    case pledgeCreated = "pledge.created"
    case pledgeActivated = "pledge.activated"
    case pledgeAmountChanged = "pledge.amount_changed"
    case pledgePastDue = "pledge.past_due"
    case pledgeCancelled = "pledge.cancelled"
    case pledgeExpired = "pledge.expired"
    case paymentSucceeded = "payment.succeeded"
    case paymentFailed = "payment.failed"
    case paymentRefunded = "payment.refunded"
    case paymentChargedBack = "payment.charged_back"
    case reminderScheduled = "reminder.scheduled"
    case reminderDeferred = "reminder.deferred"
    case reminderDue = "reminder.due"
    case reminderConfirmationRequested = "reminder.confirmation_requested"
    case renewalUpcoming = "renewal.upcoming"
    case supporterErased = "supporter.erased"
    case supporterLinkRequested = "supporter.link_requested"
    case pledgePauseRequested = "pledge.pause_requested"
    case pledgeChangeRequested = "pledge.change_requested"
    case pledgeCancelRequested = "pledge.cancel_requested"
    case pledgePaused = "pledge.paused"
    case pledgeResumed = "pledge.resumed"
    case pledgeResumeRequested = "pledge.resume_requested"

    /// The part before the dot: `pledge`, `payment`, `reminder`, `renewal`, `supporter`.
    public var group: String { String(rawValue.prefix { $0 != "." }) }

    /// The event a pledge's move from `previous` to `status` announces; nil for a move no event
    /// names (a one-off completed by its payment is announced by `payment.succeeded`).
    public static func announcing(move status: PledgeStatus, from previous: PledgeStatus) -> OutboundEventType? {
        switch status {
        case .active: previous == .paused ? .pledgeResumed : .pledgeActivated
        case .paused: .pledgePaused
        case .pastDue: .pledgePastDue
        case .cancelled: .pledgeCancelled
        case .expired: .pledgeExpired
        case .pending, .completed: nil
        }
    }

    public static func parse(_ text: String, field: String = "type") throws(PledgerError) -> OutboundEventType {
        guard let type = OutboundEventType(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw .invalid(field, "\"\(text)\" is not an event type; see docs/events.md for the catalogue")
        }
        return type
    }

    public static func < (lhs: OutboundEventType, rhs: OutboundEventType) -> Bool { lhs.rawValue < rhs.rawValue }
}
