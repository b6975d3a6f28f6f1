import Foundation
import PledgerCore
import PledgerWebhooks

/// JSON shapes shared by the CLI's `--format json` and the HTTP API: snake_case keys, money as
/// integer minor units beside the currency code, instants as ISO 8601 UTC.
public enum Views {
    public struct PledgeView: Codable, Sendable, Equatable {
        public var id: String
        public var status: String
        public var email: String?
        public var externalRef: String?
        public var supporterId: String
        public var cadence: String
        public var amount: Int64
        public var currency: String
        public var source: String?
        public var processor: String?
        public var processorRef: String?
        public var createdAt: String
        public var firstPaidAt: String?
        public var cancelledAt: String?
        public var nextDueAt: String?
        /// When a paused pledge resumes by itself, if its pause has an end.
        public var resumesAt: String?
        /// Where a box pledge came from (shown for one pledge, not in lists).
        public var attribution: AttributionView?
    }

    /// The article, referrer host, UTM fields and campaign a box pledge came from.
    public struct AttributionView: Codable, Sendable, Equatable {
        public var campaign: String
        public var pagePath: String
        public var referrerHost: String?
        public var utm: [String: String]?
    }

    public struct ReminderView: Codable, Sendable, Equatable {
        public var id: String
        public var email: String?
        public var campaign: String
        public var status: String
        public var dueAt: String
        public var deferrals: Int
        public var deferred: Bool?
        public var createdAt: String
        public var sentAt: String?
        public var convertedAt: String?
        public var convertedPledgeId: String?
    }

    public struct PaymentView: Codable, Sendable, Equatable {
        public var id: String
        public var pledgeId: String?
        public var processor: String
        public var externalId: String
        public var cadence: String
        public var amount: Int64
        public var fee: Int64
        public var currency: String
        public var occurredAt: String
        public var transactionId: String
    }

    public struct ReversalView: Codable, Sendable, Equatable {
        public var id: String
        public var kind: String
        public var paymentId: String
        public var processor: String
        public var externalId: String
        public var amount: Int64
        public var fee: Int64
        public var currency: String
        public var occurredAt: String
        public var transactionId: String
    }

    public static func pledge(_ p: Pledge, now: Date, attribution: Attribution? = nil) -> PledgeView {
        PledgeView(
            id: p.id.rawValue, status: p.status.rawValue, email: p.email, externalRef: p.externalRef,
            supporterId: p.supporterID.rawValue,
            cadence: p.cadence.rawValue, amount: p.amount.minorUnits, currency: p.amount.currency.code,
            source: p.source,
            processor: p.processor, processorRef: p.processorRef, createdAt: Timestamp.format(p.createdAt),
            firstPaidAt: p.firstPaidAt.map(Timestamp.format), cancelledAt: p.cancelledAt.map(Timestamp.format),
            nextDueAt: p.nextDue(after: now).map(Timestamp.format), resumesAt: p.resumesAt.map(Timestamp.format),
            attribution: attribution.map {
                AttributionView(
                    campaign: $0.campaign, pagePath: $0.pagePath, referrerHost: $0.referrerHost,
                    utm: $0.utm.isEmpty ? nil : $0.utm)
            })
    }

    public static func reminder(_ r: Reminder, deferred: Bool? = nil) -> ReminderView {
        ReminderView(
            id: r.id.rawValue, email: r.email, campaign: r.campaign, status: r.status.rawValue,
            dueAt: Timestamp.format(r.dueAt),
            deferrals: r.deferrals, deferred: deferred, createdAt: Timestamp.format(r.createdAt),
            sentAt: r.sentAt.map(Timestamp.format), convertedAt: r.convertedAt.map(Timestamp.format),
            convertedPledgeId: r.convertedPledgeID?.rawValue)
    }

    public static func payment(_ p: Payment) -> PaymentView {
        PaymentView(
            id: p.id.rawValue, pledgeId: p.pledgeID?.rawValue, processor: p.processor, externalId: p.externalID,
            cadence: p.cadence.rawValue,
            amount: p.amount.minorUnits, fee: p.fee.minorUnits, currency: p.amount.currency.code,
            occurredAt: Timestamp.format(p.occurredAt), transactionId: p.transactionID.rawValue)
    }

    public static func reversal(_ r: Reversal) -> ReversalView {
        ReversalView(
            id: r.id.rawValue, kind: r.kind.rawValue, paymentId: r.paymentID.rawValue, processor: r.processor,
            externalId: r.externalID,
            amount: r.amount.minorUnits, fee: r.fee.minorUnits, currency: r.amount.currency.code,
            occurredAt: Timestamp.format(r.occurredAt), transactionId: r.transactionID.rawValue)
    }

    public struct WebhookResultView: Codable, Sendable, Equatable {
        public var outcome: String
        public var provider: String
        public var eventId: String?
        public var type: String?
        public var detail: String?
        public var errorCode: String?
    }

    public struct WebhookEventView: Codable, Sendable, Equatable {
        public var provider: String
        public var eventId: String
        public var type: String
        public var outcome: String
        public var detail: String?
        public var occurredAt: String?
        public var receivedAt: String
        public var processedAt: String?
        public var replays: Int
    }

    public static func webhookResult(_ r: WebhookResult) -> WebhookResultView {
        WebhookResultView(
            outcome: r.outcome.rawValue, provider: r.provider.rawValue, eventId: r.eventID, type: r.type,
            detail: r.detail,
            errorCode: r.error?.code)
    }

    public static func webhookEvent(_ e: StoredWebhookEvent) -> WebhookEventView {
        WebhookEventView(
            provider: e.provider.rawValue, eventId: e.eventID, type: e.type, outcome: e.outcome.rawValue,
            detail: e.detail,
            occurredAt: e.occurredAt.map(Timestamp.format), receivedAt: Timestamp.format(e.receivedAt),
            processedAt: e.processedAt.map(Timestamp.format), replays: e.replays)
    }

    /// Pretty, snake_case JSON with a trailing newline.
    public static func json(_ value: some Encodable) -> String {
        JSONText.encode(value)
    }
}

// MARK: - Endpoints and deliveries

extension Views {
    /// An endpoint as listed: never its secret.
    public struct EndpointView: Codable, Sendable, Equatable {
        public var id: String
        public var url: String
        public var description: String?
        public var events: String
        public var status: String
        public var disabledReason: String?
        public var failingSince: String?
        public var previousSecretExpiresAt: String?
        public var createdAt: String
        public var updatedAt: String
        /// Only in the answer to add and rotate-secret: shown once.
        public var secret: String?
    }

    public static func endpoint(_ e: Endpoint, secret: String? = nil) -> EndpointView {
        EndpointView(
            id: e.id.rawValue, url: e.url, description: e.description, events: e.events.description,
            status: e.status.rawValue, disabledReason: e.disabledReason,
            failingSince: e.failingSince.map(Timestamp.format),
            previousSecretExpiresAt: e.previousSecretExpiresAt.map(Timestamp.format),
            createdAt: Timestamp.format(e.createdAt), updatedAt: Timestamp.format(e.updatedAt), secret: secret)
    }

    /// A publishable key of the reader's box (public by design: it sits in pages).
    public struct PublishableKeyView: Codable, Sendable, Equatable {
        public var key: String
        public var origins: [String]
        public var label: String?
        public var createdAt: String
        public var revokedAt: String?
    }

    public static func publishableKey(_ k: PublishableKey) -> PublishableKeyView {
        PublishableKeyView(
            key: k.key, origins: k.origins.map(\.description), label: k.label, createdAt: Timestamp.format(k.createdAt),
            revokedAt: k.revokedAt.map(Timestamp.format))
    }

    public struct DeliveryView: Codable, Sendable, Equatable {
        public var id: String
        public var endpointId: String
        public var eventId: String
        public var eventSequence: Int64
        public var eventType: String
        public var status: String
        public var attempts: Int
        public var nextAttemptAt: String?
        public var lastAttemptAt: String?
        public var lastStatus: Int?
        public var lastError: String?
        public var deliveredAt: String?
    }

    public static func delivery(_ d: Delivery) -> DeliveryView {
        DeliveryView(
            id: d.id.rawValue, endpointId: d.endpointID.rawValue, eventId: d.eventID.rawValue,
            eventSequence: d.eventSequence, eventType: d.eventType.rawValue, status: d.status.rawValue,
            attempts: d.attempts, nextAttemptAt: d.nextAttemptAt.map(Timestamp.format),
            lastAttemptAt: d.lastAttemptAt.map(Timestamp.format), lastStatus: d.lastStatus, lastError: d.lastError,
            deliveredAt: d.deliveredAt.map(Timestamp.format))
    }
}
