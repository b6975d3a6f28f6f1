import Foundation
import PledgerCore

/// What the box sends when the reader presses Continue.
public struct BoxCheckoutRequest: Sendable {
    public var cadence: String?
    public var amount: Int64?
    public var currency: String?
    public var email: String?
    public var pageURL: String?
    public var referrer: String?
    public var campaign: String?
    /// `utm_source` … `utm_content` as given in the body; they win over the page address's own.
    public var utm: [String: String?]
    /// The honeypot: people never fill it.
    public var website: String?

    public init(
        cadence: String?, amount: Int64?, currency: String?, email: String?, pageURL: String?, referrer: String?,
        campaign: String?, utm: [String: String?], website: String?
    ) {
        self.cadence = cadence
        self.amount = amount
        self.currency = currency
        self.email = email
        self.pageURL = pageURL
        self.referrer = referrer
        self.campaign = campaign
        self.utm = utm
        self.website = website
    }
}

/// What the box sends for "remind me later".
public struct BoxReminderRequest: Sendable {
    public var email: String?
    public var pageURL: String?
    public var referrer: String?
    public var campaign: String?
    public var utm: [String: String?]
    public var website: String?

    public init(
        email: String?, pageURL: String?, referrer: String?, campaign: String?, utm: [String: String?],
        website: String?
    ) {
        self.email = email
        self.pageURL = pageURL
        self.referrer = referrer
        self.campaign = campaign
        self.utm = utm
        self.website = website
    }
}

/// Where Continue leads: the pending pledge, and the processor's checkout address for it.
public struct BoxCheckout: Sendable, Equatable {
    public var pledgeID: ID<Pledge>
    public var checkoutURL: String
}

/// What a confirmation link did, for the page it shows.
public enum BoxConfirmation: Sendable, Equatable {
    case confirmed(ID<Reminder>)
    /// Tampered, malformed, expired, or its request is gone: one page for all, nothing changed.
    case invalid(LinkToken.Refusal?)
}
