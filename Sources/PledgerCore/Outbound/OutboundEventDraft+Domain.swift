import Foundation

// Which event each change announces, and what it carries: one constructor per change.
extension OutboundEventDraft {
    public static func pledgeCreated(_ pledge: Pledge) -> OutboundEventDraft {
        OutboundEventDraft(
            type: .pledgeCreated, occurredAt: pledge.createdAt, subjects: subjects(pledge),
            data: OutboundEventData(supporter: .init(of: pledge), pledge: .init(pledge)))
    }

    /// The event a pledge's move announces (`pledge` as it is after the move), or nil when the
    /// move has none (a one-off completed by its payment).
    public static func pledgeMoved(_ pledge: Pledge, from previous: PledgeStatus, at: Date) -> OutboundEventDraft? {
        guard let type = OutboundEventType.announcing(move: pledge.status, from: previous) else { return nil }
        return OutboundEventDraft(
            type: type, occurredAt: at, subjects: subjects(pledge),
            data: OutboundEventData(supporter: .init(of: pledge), pledge: .init(pledge, previousStatus: previous)))
    }

    /// A change of a recurring pledge's amount and/or cadence: `previousCadence` is given only
    /// when the cadence changed, so an amount-only change reads as it always did.
    public static func pledgeAmountChanged(
        _ pledge: Pledge, from previous: Money, previousCadence: Cadence? = nil, at: Date
    ) -> OutboundEventDraft {
        var part = OutboundEventData.PledgePart(pledge, previousAmount: previous)
        if let previousCadence, previousCadence != pledge.cadence { part.previousCadence = previousCadence.rawValue }
        return OutboundEventDraft(
            type: .pledgeAmountChanged, occurredAt: at, subjects: subjects(pledge),
            data: OutboundEventData(supporter: .init(of: pledge), pledge: part))
    }

    /// A booked payment, with its receipt number; `pledge` as it is after the payment moved it.
    public static func paymentSucceeded(_ payment: Payment, pledge: Pledge?, receipt: ReceiptNumber)
        -> OutboundEventDraft
    {
        OutboundEventDraft(
            type: .paymentSucceeded, occurredAt: payment.occurredAt,
            subjects: EventSubjects(
                supporterID: payment.supporterID ?? pledge?.supporterID, pledgeID: pledge?.id, paymentID: payment.id),
            data: OutboundEventData(
                supporter: pledge.map { .init(of: $0) }, pledge: pledge.map { .init($0) },
                payment: .init(payment, receipt: receipt)))
    }

    /// A processor's word that a charge for `pledge` failed; nil when the pledge is over (cancelled,
    /// expired, a completed one-off): a late failure tells the supporter nothing they can act on.
    public static func paymentFailed(_ pledge: Pledge, at: Date) -> OutboundEventDraft? {
        guard pledge.status == .pending || pledge.status.isLive else { return nil }
        return OutboundEventDraft(
            type: .paymentFailed, occurredAt: at, subjects: subjects(pledge),
            data: OutboundEventData(supporter: .init(of: pledge), pledge: .init(pledge)))
    }

    /// A refund or a chargeback of `payment`.
    public static func reversed(_ reversal: Reversal, of payment: Payment, pledge: Pledge?) -> OutboundEventDraft {
        OutboundEventDraft(
            type: reversal.kind == .refund ? .paymentRefunded : .paymentChargedBack, occurredAt: reversal.occurredAt,
            subjects: EventSubjects(
                supporterID: payment.supporterID ?? pledge?.supporterID, pledgeID: pledge?.id, paymentID: payment.id),
            data: OutboundEventData(
                supporter: pledge.map { .init(of: $0) }, pledge: pledge.map { .init($0) },
                payment: .init(payment, receipt: nil), reversal: .init(reversal)))
    }

    /// A reminder scheduled, or deferred to a later time.
    public static func reminderScheduled(_ reminder: Reminder, deferred: Bool, at: Date) -> OutboundEventDraft {
        OutboundEventDraft(
            type: deferred ? .reminderDeferred : .reminderScheduled, occurredAt: at, subjects: subjects(reminder),
            data: OutboundEventData(supporter: .init(of: reminder), reminder: .init(reminder)))
    }

    /// A reminder whose time has come: the mailer sends it.
    public static func reminderDue(_ reminder: Reminder) -> OutboundEventDraft {
        OutboundEventDraft(
            type: .reminderDue, occurredAt: reminder.dueAt, subjects: subjects(reminder),
            data: OutboundEventData(supporter: .init(of: reminder), reminder: .init(reminder)))
    }

    /// A notice `daysBefore` days ahead of the renewal at `renewsAt`.
    public static func renewalUpcoming(_ pledge: Pledge, renewsAt: Date, daysBefore: Int, at: Date)
        -> OutboundEventDraft
    {
        OutboundEventDraft(
            type: .renewalUpcoming, occurredAt: at, subjects: subjects(pledge),
            data: OutboundEventData(
                supporter: .init(of: pledge), pledge: .init(pledge),
                renewal: .init(
                    renewsAt: Timestamp.format(renewsAt), amount: pledge.amount.minorUnits,
                    currency: pledge.amount.currency.code, cadence: pledge.cadence.rawValue, daysBefore: daysBefore)))
    }

    /// A box "remind me later" asking the reader to confirm: the mailer sends `confirmURL`.
    public static func reminderConfirmationRequested(_ request: UnconfirmedReminder, confirmURL: String)
        -> OutboundEventDraft
    {
        OutboundEventDraft(
            type: .reminderConfirmationRequested, occurredAt: request.requestedAt,
            subjects: EventSubjects(requestID: request.id),
            data: OutboundEventData(confirmation: .init(request, confirmURL: confirmURL)))
    }

    /// A supporter's request from their page, for the processor integration to carry out.
    public static func supporterRequested(_ request: SupporterRequest, pledge: Pledge, at: Date) -> OutboundEventDraft {
        let type: OutboundEventType =
            switch request.kind {
            case .pause: .pledgePauseRequested
            case .change: .pledgeChangeRequested
            case .cancel: .pledgeCancelRequested
            case .resume: .pledgeResumeRequested
            }
        return OutboundEventDraft(
            type: type, occurredAt: at, subjects: subjects(pledge),
            data: OutboundEventData(supporter: .init(of: pledge), pledge: .init(pledge), request: .init(request)))
    }

    /// A supporter's signed link to their own page, for the mailer to send.
    public static func supporterLinkRequested(
        supporter: OutboundEventData.SupporterPart, link: OutboundEventData.LinkPart, at: Date
    ) -> OutboundEventDraft {
        OutboundEventDraft(
            type: .supporterLinkRequested, occurredAt: at, subjects: EventSubjects(supporterID: ID(supporter.id)),
            data: OutboundEventData(supporter: supporter, link: link))
    }

    /// Erasure, carrying only the supporter's id.
    public static func supporterErased(_ id: ID<Supporter>, at: Date) -> OutboundEventDraft {
        OutboundEventDraft(
            type: .supporterErased, occurredAt: at, subjects: EventSubjects(supporterID: id),
            data: OutboundEventData(supporter: .erased(id.rawValue)))
    }

    private static func subjects(_ pledge: Pledge) -> EventSubjects {
        EventSubjects(supporterID: pledge.supporterID, pledgeID: pledge.id)
    }

    private static func subjects(_ reminder: Reminder) -> EventSubjects {
        EventSubjects(supporterID: reminder.supporterID, reminderID: reminder.id)
    }
}
