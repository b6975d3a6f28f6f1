import Foundation

/// A publisher's URL that receives signed events. Its secrets are not part of this value, so
/// nothing that lists or renders endpoints can show one.
public struct Endpoint: Sendable, Equatable {
    public var id: ID<Endpoint>
    public var url: String
    public var description: String?
    public var events: EventFilter
    public var status: EndpointStatus
    /// Why it was disabled (410 Gone, failing for days, by hand); nil while enabled.
    public var disabledReason: String?
    /// It receives the events after this sequence: one added now hears from now on, not history.
    public var startSequence: Int64
    /// Since when every attempt to it failed; nil after a success.
    public var failingSince: Date?
    /// Until when the secret before the last rotation still signs; nil when there is none.
    public var previousSecretExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID<Endpoint>, url: String, description: String?, events: EventFilter, status: EndpointStatus,
        disabledReason: String?, startSequence: Int64, failingSince: Date?, previousSecretExpiresAt: Date?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.url = url
        self.description = description
        self.events = events
        self.status = status
        self.disabledReason = disabledReason
        self.startSequence = startSequence
        self.failingSince = failingSince
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// How long the secret before a rotation keeps signing beside the new one.
    public static let rotationOverlap: TimeInterval = 24 * 3600
    /// An endpoint failing this long without a single success is disabled.
    public static let failingLimit: TimeInterval = 5 * 24 * 3600
}

/// Whether an endpoint is sent events.
public enum EndpointStatus: String, Sendable, CaseIterable, Codable {
    case enabled, disabled, removed
}

/// An endpoint with what the deliverer needs and nobody else sees: its signing secrets and how
/// far it has been walked. Its description never shows a secret.
public struct DeliveryTarget: Sendable, CustomStringConvertible {
    public var endpoint: Endpoint
    /// Every event up to here was either not for this endpoint or has a delivery row.
    public var cursor: Int64
    public var secret: String
    public var previousSecret: String?

    public init(endpoint: Endpoint, cursor: Int64, secret: String, previousSecret: String?) {
        self.endpoint = endpoint
        self.cursor = cursor
        self.secret = secret
        self.previousSecret = previousSecret
    }

    /// The secrets that sign at `now`: the current one first, then the previous one within its 24 hours.
    public func signingSecrets(at now: Date) -> [String] {
        guard let previousSecret, let expiry = endpoint.previousSecretExpiresAt, now < expiry else { return [secret] }
        return [secret, previousSecret]
    }

    public var description: String { "DeliveryTarget(\(endpoint.id), \(endpoint.url), cursor \(cursor))" }
}

/// One event's delivery to one endpoint.
public struct Delivery: Sendable, Equatable {
    public var id: ID<Delivery>
    public var endpointID: ID<Endpoint>
    public var eventSequence: Int64
    public var eventID: ID<OutboundEvent>
    public var eventType: OutboundEventType
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    /// The HTTP status of the last answer; nil when there was none (timeout, refused address).
    public var lastStatus: Int?
    /// What went wrong last, for a person; never holds a secret.
    public var lastError: String?
    public var deliveredAt: Date?

    public init(
        id: ID<Delivery>, endpointID: ID<Endpoint>, eventSequence: Int64, eventID: ID<OutboundEvent>,
        eventType: OutboundEventType, status: DeliveryStatus, attempts: Int, nextAttemptAt: Date?,
        lastAttemptAt: Date?, lastStatus: Int?, lastError: String?, deliveredAt: Date?
    ) {
        self.id = id
        self.endpointID = endpointID
        self.eventSequence = eventSequence
        self.eventID = eventID
        self.eventType = eventType
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}

/// Where a delivery stands.
public enum DeliveryStatus: String, Sendable, CaseIterable, Codable {
    /// Not yet delivered; tried again at `nextAttemptAt`.
    case pending
    case delivered
    /// Every attempt of the schedule failed (or the endpoint said 410 Gone).
    case failed
}

/// What one attempt did, as recorded after the POST (at least once: never before it).
public struct DeliveryAttempt: Sendable, Equatable {
    public var endpointID: ID<Endpoint>
    public var event: OutboundEvent
    public var at: Date
    public var status: DeliveryStatus
    /// The attempts so far, this one included.
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var httpStatus: Int?
    public var error: String?

    public init(
        endpointID: ID<Endpoint>, event: OutboundEvent, at: Date, status: DeliveryStatus, attempts: Int,
        nextAttemptAt: Date?, httpStatus: Int?, error: String?
    ) {
        self.endpointID = endpointID
        self.event = event
        self.at = at
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.httpStatus = httpStatus
        self.error = error
    }

    /// The rules of an attempt's outcome: a 2xx is delivered; 410 Gone fails it at once (and disables
    /// the endpoint); anything else is tried again on `schedule`, then failed.
    public static func decide(
        endpointID: ID<Endpoint>, event: OutboundEvent, at: Date, previousAttempts: Int, httpStatus: Int?,
        error: String?, schedule: RetrySchedule
    ) -> DeliveryAttempt {
        let attempts = previousAttempts + 1
        if let httpStatus, (200..<300).contains(httpStatus) {
            return DeliveryAttempt(
                endpointID: endpointID, event: event, at: at, status: .delivered, attempts: attempts,
                nextAttemptAt: nil, httpStatus: httpStatus, error: nil)
        }
        let error = error ?? httpStatus.map { "answered HTTP \($0)" } ?? "no answer"
        let next = httpStatus == 410 ? nil : schedule.nextAttempt(after: attempts, failedAt: at)
        return DeliveryAttempt(
            endpointID: endpointID, event: event, at: at, status: next == nil ? .failed : .pending,
            attempts: attempts, nextAttemptAt: next, httpStatus: httpStatus, error: error)
    }

    public var isGone: Bool { httpStatus == 410 }

    /// Why this failed attempt disables its endpoint, failing since `failingSince`: a 410 Gone at
    /// once, or ``Endpoint/failingLimit`` without a single success; nil to keep trying.
    public func disablingReason(failingSince: Date) -> String? {
        guard status != .delivered else { return nil }
        if isGone { return "answered 410 Gone at \(Timestamp.format(at))" }
        guard at.timeIntervalSince(failingSince) >= Endpoint.failingLimit else { return nil }
        return "failing since \(Timestamp.format(failingSince)), 5 days without a success"
    }
}
