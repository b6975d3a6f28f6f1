import Foundation

/// What an event tells a mailer: the parts that apply to its type, each absent when it does not.
/// Amounts are minor units beside the currency code, instants ISO 8601 UTC (docs/events.md).
public struct OutboundEventData: Sendable, Equatable, Codable {
    public var supporter: SupporterPart?
    public var pledge: PledgePart?
    public var payment: PaymentPart?
    public var reversal: ReversalPart?
    public var reminder: ReminderPart?
    public var renewal: RenewalPart?
    public var confirmation: ConfirmationPart?
    public var link: LinkPart?
    public var request: RequestPart?

    public init(
        supporter: SupporterPart? = nil, pledge: PledgePart? = nil, payment: PaymentPart? = nil,
        reversal: ReversalPart? = nil, reminder: ReminderPart? = nil, renewal: RenewalPart? = nil,
        confirmation: ConfirmationPart? = nil, link: LinkPart? = nil, request: RequestPart? = nil
    ) {
        self.request = request
        self.link = link
        self.confirmation = confirmation
        self.supporter = supporter
        self.pledge = pledge
        self.payment = payment
        self.reversal = reversal
        self.reminder = reminder
        self.renewal = renewal
    }

    /// Who the event is about. `email`, `external_ref` and `name` are personal data: absent once erased.
    public struct SupporterPart: Sendable, Equatable, Codable {
        public var id: String
        public var email: String?
        public var externalRef: String?
        public var name: String?
        public var erased: Bool?
    }

    public struct PledgePart: Sendable, Equatable, Codable {
        public var id: String
        public var status: String
        public var cadence: String
        public var amount: Int64
        public var currency: String
        public var source: String?
        public var processor: String?
        public var processorRef: String?
        public var createdAt: String
        /// The state before this event's move (`pledge.activated` from `past_due` is a recovery).
        public var previousStatus: String?
        /// The amount before a `pledge.amount_changed`.
        public var previousAmount: Int64?
        /// The cadence before a `pledge.amount_changed` that changed it (absent when it did not).
        public var previousCadence: String?
        /// When a paused pledge resumes by itself, if its pause has an end.
        public var resumesAt: String?
    }

    public struct PaymentPart: Sendable, Equatable, Codable {
        public var id: String
        public var processor: String
        public var externalId: String
        public var cadence: String
        public var amount: Int64
        public var fee: Int64
        public var currency: String
        public var occurredAt: String
        /// `2026-000123`: sequential within the payment's calendar year, without gaps.
        public var receiptNumber: String?
    }

    public struct ReversalPart: Sendable, Equatable, Codable {
        public var id: String
        public var kind: String
        public var externalId: String
        public var amount: Int64
        public var fee: Int64
        public var currency: String
        public var occurredAt: String
    }

    public struct ReminderPart: Sendable, Equatable, Codable {
        public var id: String
        public var campaign: String
        public var dueAt: String
        public var deferrals: Int
    }

    /// A box "remind me later" awaiting the reader's confirmation: where to send the link, and the
    /// link. `email` is personal data: absent once the request expired or was erased.
    public struct ConfirmationPart: Sendable, Equatable, Codable {
        public var requestId: String
        public var email: String?
        public var campaign: String
        public var pagePath: String
        public var confirmUrl: String
        public var expiresAt: String

        public init(_ request: UnconfirmedReminder, confirmURL: String) {
            self.init(
                requestId: request.id.rawValue, email: request.email, campaign: request.attribution.campaign,
                pagePath: request.attribution.pagePath, confirmUrl: confirmURL,
                expiresAt: Timestamp.format(request.expiresAt))
        }

        init(
            requestId: String, email: String?, campaign: String, pagePath: String, confirmUrl: String,
            expiresAt: String
        ) {
            self.requestId = requestId
            self.email = email
            self.campaign = campaign
            self.pagePath = pagePath
            self.confirmUrl = confirmUrl
            self.expiresAt = expiresAt
        }
    }

    /// What a supporter asked for from their page, for the processor integration to carry out.
    public struct RequestPart: Sendable, Equatable, Codable {
        public var id: String
        public var kind: String
        public var months: Int?
        public var amount: Int64?
        public var currency: String?
        public var cadence: String?
        public var reason: String?
        public var note: String?
        public var requestedAt: String

        public init(_ request: SupporterRequest) {
            id = request.id.rawValue
            kind = request.kind.name
            requestedAt = Timestamp.format(request.requestedAt)
            switch request.kind {
            case .pause(let months):
                self.months = months
            case .change(let amount, let cadence):
                self.amount = amount?.minorUnits
                currency = amount?.currency.code
                self.cadence = cadence?.rawValue
            case .cancel(let reason, let note):
                self.reason = reason.rawValue
                self.note = note
            case .resume:
                break
            }
        }
    }

    /// A signed link to the supporter's own page: the mailer sends `url`.
    public struct LinkPart: Sendable, Equatable, Codable {
        public var url: String
        public var purpose: String
        public var expiresAt: String

        public init(url: String, purpose: LinkToken.Purpose, expiresAt: Date) {
            self.url = url
            self.purpose = purpose.rawValue
            self.expiresAt = Timestamp.format(expiresAt)
        }
    }

    public struct RenewalPart: Sendable, Equatable, Codable {
        public var renewsAt: String
        public var amount: Int64
        public var currency: String
        public var cadence: String
        public var daysBefore: Int
    }
}

// MARK: - Building the parts from domain records

extension OutboundEventData.SupporterPart {
    public init(id: ID<Supporter>, email: String?, externalRef: String?) {
        self.init(id: id.rawValue, email: email, externalRef: externalRef, name: nil, erased: nil)
    }

    /// The supporter of a pledge, with the personal data the pledge carries.
    public init(of pledge: Pledge) {
        self.init(id: pledge.supporterID, email: pledge.email, externalRef: pledge.externalRef)
    }

    public init(of reminder: Reminder) {
        self.init(id: reminder.supporterID, email: reminder.email, externalRef: nil)
    }

    /// Only the id: what `supporter.erased` and an erased supporter's older events keep.
    public static func erased(_ id: String) -> Self {
        Self(id: id, email: nil, externalRef: nil, name: nil, erased: true)
    }
}

extension OutboundEventData.PledgePart {
    public init(_ pledge: Pledge, previousStatus: PledgeStatus? = nil, previousAmount: Money? = nil) {
        self.init(
            id: pledge.id.rawValue, status: pledge.status.rawValue, cadence: pledge.cadence.rawValue,
            amount: pledge.amount.minorUnits, currency: pledge.amount.currency.code, source: pledge.source,
            processor: pledge.processor, processorRef: pledge.processorRef,
            createdAt: Timestamp.format(pledge.createdAt), previousStatus: previousStatus?.rawValue,
            previousAmount: previousAmount?.minorUnits, resumesAt: pledge.resumesAt.map(Timestamp.format))
    }
}

extension OutboundEventData.PaymentPart {
    public init(_ payment: Payment, receipt: ReceiptNumber?) {
        self.init(
            id: payment.id.rawValue, processor: payment.processor, externalId: payment.externalID,
            cadence: payment.cadence.rawValue, amount: payment.amount.minorUnits, fee: payment.fee.minorUnits,
            currency: payment.amount.currency.code, occurredAt: Timestamp.format(payment.occurredAt),
            receiptNumber: receipt?.description)
    }
}

extension OutboundEventData.ReversalPart {
    public init(_ reversal: Reversal) {
        self.init(
            id: reversal.id.rawValue, kind: reversal.kind.rawValue, externalId: reversal.externalID,
            amount: reversal.amount.minorUnits, fee: reversal.fee.minorUnits, currency: reversal.amount.currency.code,
            occurredAt: Timestamp.format(reversal.occurredAt))
    }
}

extension OutboundEventData.ReminderPart {
    public init(_ reminder: Reminder) {
        self.init(
            id: reminder.id.rawValue, campaign: reminder.campaign, dueAt: Timestamp.format(reminder.dueAt),
            deferrals: reminder.deferrals)
    }
}
