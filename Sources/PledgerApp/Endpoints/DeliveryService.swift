import Foundation
import Logging
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks
import Synchronization

/// How a delivery attempt ended, as `/metrics` counts it.
public enum DeliveryOutcome: String, Sendable, CaseIterable {
    case delivered
    /// Failed, and scheduled to be tried again.
    case retrying
    /// Failed for good: the schedule is spent, or the endpoint said 410 Gone.
    case failed
}

/// Told about every attempt and every endpoint the deliverer disables (for metrics).
public protocol DeliveryObserver: Sendable {
    func attempted(_ outcome: DeliveryOutcome)
    func endpointDisabled(_ id: ID<Endpoint>, reason: String)
}

/// An observer that does nothing: `pledger deliver --once` keeps no metrics.
public struct NoDeliveryObserver: DeliveryObserver {
    public init() {}
    public func attempted(_ outcome: DeliveryOutcome) {}
    public func endpointDisabled(_ id: ID<Endpoint>, reason: String) {}
}

/// What one pass did.
public struct DeliveryPassSummary: Sendable, Equatable {
    public var delivered = 0
    public var retrying = 0
    public var failed = 0
    public var endpointsDisabled = 0

    public init() {}

    mutating func add(_ other: DeliveryPassSummary) {
        delivered += other.delivered
        retrying += other.retrying
        failed += other.failed
        endpointsDisabled += other.endpointsDisabled
    }
}

/// Delivers outbox events to endpoints, signed, at least once, in event order per endpoint.
///
/// Each endpoint is walked on its own: its earliest pending retry first (which holds back its
/// later events until due), then the matching events past its cursor. An outcome is recorded
/// only after its POST, so a crash in between sends the event again with the same `webhook-id`.
/// Endpoints are served concurrently, at most `settings.concurrency` at a time, so a slow one
/// holds back only itself.
public struct DeliveryService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    public let settings: DeliverySettings

    /// A sender over AsyncHTTPClient with these settings' address rules; shut it down when done.
    public func makeHTTPSender() -> HTTPWebhookSender {
        HTTPWebhookSender(addresses: settings.addresses)
    }

    /// Delivers everything due now, endpoint by endpoint, and returns when no endpoint has
    /// anything due (for cron, and for tests on a fixed clock).
    public func deliverDue(
        sender: any WebhookSender, observer: any DeliveryObserver = NoDeliveryObserver(),
        logger: Logger = Logger(label: "pledger.delivery")
    ) async throws -> DeliveryPassSummary {
        let ids = try await store.snapshot { try $0.deliveryTargets().map(\.endpoint.id) }
        return try await withThrowingTaskGroup(of: DeliveryPassSummary.self) { group in
            var summary = DeliveryPassSummary()
            var next = ids.makeIterator()
            for _ in 0..<max(1, settings.concurrency) {
                guard let id = next.next() else { break }
                group.addTask { try await drain(id, sender: sender, observer: observer, logger: logger) }
            }
            while let done = try await group.next() {
                summary.add(done)
                if let id = next.next() {
                    group.addTask { try await drain(id, sender: sender, observer: observer, logger: logger) }
                }
            }
            return summary
        }
    }

    /// Runs until cancelled or `stopping()` says so: every `pollInterval` (or sooner when `pause`
    /// returns early), starts a worker for each enabled endpoint that has none running, up to
    /// `concurrency` at once. When stopping, workers finish the attempt in hand and record it, then
    /// return. A worker that fails is logged and retried on a later tick.
    public func run(
        sender: any WebhookSender, observer: any DeliveryObserver = NoDeliveryObserver(),
        logger: Logger = Logger(label: "pledger.delivery"), stopping: @escaping @Sendable () -> Bool = { false },
        pause: (@Sendable (Duration) async -> Void)? = nil
    ) async {
        let running = RunningEndpoints()
        let stop: @Sendable () -> Bool = { Task.isCancelled || stopping() }
        await withDiscardingTaskGroup { group in
            while !stop() {
                do {
                    let ids = try await store.snapshot { try $0.deliveryTargets().map(\.endpoint.id) }
                    for id in ids {
                        let start = running.ids.withLock { running in
                            guard running.count < settings.concurrency, !running.contains(id) else { return false }
                            running.insert(id)
                            return true
                        }
                        guard start else { continue }
                        // Below the requests and webhooks that book money: under load, notifications wait.
                        group.addTask(priority: .background) {
                            defer { _ = running.ids.withLock { $0.remove(id) } }
                            do {
                                _ = try await drain(
                                    id, sender: sender, observer: observer, logger: logger, stopping: stop)
                            } catch {
                                logger.error(
                                    "delivery worker stopped", metadata: ["endpoint": "\(id)", "error": "\(error)"])
                            }
                        }
                    }
                } catch {
                    logger.error("could not read endpoints", metadata: ["error": "\(error)"])
                }
                if let pause {
                    await pause(settings.pollInterval)
                } else {
                    try? await Task.sleep(for: settings.pollInterval)
                }
            }
        }
    }

    /// Walks one endpoint until nothing of it is due now.
    func drain(
        _ id: ID<Endpoint>, sender: any WebhookSender, observer: any DeliveryObserver, logger: Logger,
        stopping: @Sendable () -> Bool = { Task.isCancelled }
    ) async throws -> DeliveryPassSummary {
        var summary = DeliveryPassSummary()
        let batchSize = max(1, settings.batchSize)
        while !stopping() {
            // Read afresh each round: a rotation, a disable or another worker's progress shows at once.
            let read = try await store.snapshot { session -> (DeliveryTarget, (Delivery, OutboundEvent)?)? in
                guard let target = try session.deliveryTarget(id: id), target.endpoint.status == .enabled else {
                    return nil
                }
                return (target, try session.firstPendingDelivery(endpoint: id))
            }
            guard let (target, pending) = read else { return summary }
            if let (delivery, event) = pending {
                // The earliest pending retry holds back this endpoint's later events, and only them.
                guard let due = delivery.nextAttemptAt, due <= clock.now else { return summary }
                let attempt = await self.attempt(event, to: target, previousAttempts: delivery.attempts, sender: sender)
                let goOn = try await record(
                    [attempt], target: target, cursor: nil, observer: observer, logger: logger, summary: &summary)
                if !goOn { return summary }
                continue
            }
            let types = target.endpoint.events.types
            let (events, latest) = try await store.snapshot { session in
                (
                    try session.events(types: types, afterSequence: target.cursor, limit: batchSize),
                    try session.latestEventSequence()
                )
            }
            if events.isEmpty {
                if latest > target.cursor {
                    try await store.transaction { try $0.advanceEndpointCursor(id, to: latest) }
                }
                return summary
            }
            var attempts: [DeliveryAttempt] = []
            for event in events {
                if stopping() && !attempts.isEmpty { break }
                let attempt = await self.attempt(event, to: target, previousAttempts: 0, sender: sender)
                attempts.append(attempt)
                // Between attempts, whatever waits at a higher priority (a payment being booked) goes first.
                await Task.yield()
                if attempt.status != .delivered { break }
            }
            guard let last = attempts.last else { return summary }
            // When the whole batch went through and it was the last one, the events in between
            // were not for this endpoint: the cursor moves to the newest event.
            let allSent = attempts.count == events.count && last.status == .delivered
            let cursor = allSent && events.count < batchSize ? latest : last.event.sequence
            let goOn = try await record(
                attempts, target: target, cursor: cursor, observer: observer, logger: logger, summary: &summary)
            if !goOn || events.count < batchSize && allSent { return summary }
        }
        return summary
    }

    /// Signs and sends one event; the outcome decided by Core's rules.
    func attempt(_ event: OutboundEvent, to target: DeliveryTarget, previousAttempts: Int, sender: any WebhookSender)
        async -> DeliveryAttempt
    {
        let at = clock.now
        let response: WebhookResponse
        do {
            let body = Array(event.body.utf8)
            let timestamp = Int64(at.timeIntervalSince1970.rounded(.down))
            let signatures = try target.signingSecrets(at: at).map { secret throws(SignatureError) in
                try StandardWebhooksScheme.sign(id: event.id.rawValue, timestamp: timestamp, body: body, secret: secret)
            }
            response = await sender.send(
                WebhookRequest(
                    url: target.endpoint.url,
                    headers: [
                        (StandardWebhooksScheme.idHeader, event.id.rawValue),
                        (StandardWebhooksScheme.timestampHeader, String(timestamp)),
                        (StandardWebhooksScheme.signatureHeader, signatures.joined(separator: " ")),
                        ("content-type", "application/json"),
                        ("user-agent", "pledger-webhooks"),
                    ],
                    body: body, timeout: settings.timeout))
        } catch {
            // The error names the scheme's complaint, never the secret.
            response = WebhookResponse(status: nil, error: "could not sign: \(error.code)")
        }
        return DeliveryAttempt.decide(
            endpointID: target.endpoint.id, event: event, at: at, previousAttempts: previousAttempts,
            httpStatus: response.status, error: response.error, schedule: settings.retries)
    }

    /// Records outcomes in one transaction: the delivery rows, the cursor, the endpoint's failing
    /// streak and whether it is disabled, and a delivered `reminder.due`'s reminder as sent.
    /// - Returns: whether the endpoint may go on to its next event.
    private func record(
        _ attempts: [DeliveryAttempt], target: DeliveryTarget, cursor: Int64?, observer: any DeliveryObserver,
        logger: Logger, summary: inout DeliveryPassSummary
    ) async throws -> Bool {
        let id = target.endpoint.id
        let disabledReason = try await store.transaction { session -> String? in
            for attempt in attempts {
                try session.recordDeliveryAttempt(attempt)
                if attempt.status == .delivered, attempt.event.type == .reminderDue,
                    let reminderID = attempt.event.subjects.reminderID,
                    try session.reminder(id: reminderID)?.status == .open
                {
                    try session.markReminderSent(reminderID, at: attempt.at)
                }
            }
            if let cursor { try session.advanceEndpointCursor(id, to: cursor) }
            guard let last = attempts.last, let endpoint = try session.endpoint(id: id) else { return nil }
            if last.status == .delivered {
                if endpoint.failingSince != nil { try session.setEndpointFailingSince(id, nil) }
                return nil
            }
            let failingSince = endpoint.failingSince ?? last.at
            if endpoint.failingSince == nil { try session.setEndpointFailingSince(id, failingSince) }
            let reason = last.disablingReason(failingSince: failingSince)
            if let reason, endpoint.status == .enabled {
                try session.setEndpointStatus(id, status: .disabled, reason: reason, at: last.at)
            }
            return reason
        }
        for attempt in attempts {
            let outcome: DeliveryOutcome =
                switch attempt.status {
                case .delivered: .delivered
                case .pending: .retrying
                case .failed: .failed
                }
            switch outcome {
            case .delivered: summary.delivered += 1
            case .retrying: summary.retrying += 1
            case .failed: summary.failed += 1
            }
            observer.attempted(outcome)
            if attempt.status != .delivered {
                logger.warning(
                    "delivery attempt failed",
                    metadata: [
                        "endpoint": "\(id)", "event": "\(attempt.event.id)", "attempt": "\(attempt.attempts)",
                        "status": "\(attempt.httpStatus.map(String.init) ?? "none")",
                        "error": "\(attempt.error ?? "")",
                        "next_attempt_at": "\(attempt.nextAttemptAt.map(Timestamp.format) ?? "none")",
                    ])
            }
        }
        if let disabledReason {
            summary.endpointsDisabled += 1
            observer.endpointDisabled(id, reason: disabledReason)
            logger.error("endpoint disabled", metadata: ["endpoint": "\(id)", "reason": "\(disabledReason)"])
            return false
        }
        return attempts.last?.status != .pending
    }

    // MARK: - Inspect and repair

    /// Deliveries, most recent event first.
    public func list(endpoint: ID<Endpoint>? = nil, status: DeliveryStatus? = nil, limit: Int = 100) async throws
        -> [Delivery]
    {
        try PledgerError.checkLimit(limit)
        if let endpoint { try TextField.check(endpoint.rawValue, field: "endpoint") }
        return try await store.snapshot { try $0.deliveries(endpoint: endpoint, status: status, limit: limit) }
    }

    /// Puts a failed delivery back to pending, due now.
    public func retry(_ id: ID<Delivery>) async throws -> Delivery {
        try TextField.check(id.rawValue, field: "id")
        let now = clock.now
        return try await store.transaction { session in
            guard let delivery = try session.delivery(id: id) else { throw PledgerError.notFound("delivery", id) }
            guard delivery.status == .failed else {
                throw PledgerError(
                    .conflict, code: "delivery_not_failed", field: "id",
                    message: "delivery \(id) is \(delivery.status.rawValue); only a failed delivery is retried")
            }
            _ = try session.retryFailedDeliveries(id: id, endpoint: nil, since: nil, at: now)
            return try session.delivery(id: id)!
        }
    }

    /// Puts an endpoint's failed deliveries of events since `since` back to pending, due now.
    /// - Returns: how many.
    public func retry(endpoint: ID<Endpoint>, since: Date?) async throws -> Int {
        try TextField.check(endpoint.rawValue, field: "endpoint")
        let now = clock.now
        return try await store.transaction { session in
            guard try session.endpoint(id: endpoint) != nil else { throw PledgerError.notFound("endpoint", endpoint) }
            return try session.retryFailedDeliveries(id: nil, endpoint: endpoint, since: since, at: now)
        }
    }

    /// Seconds since the oldest event still owed to an enabled endpoint was written; 0 when none is owed.
    public func oldestUndeliveredAge() async throws -> TimeInterval {
        let now = clock.now
        let oldest = try await store.snapshot { try $0.oldestUndeliveredEventRecordedAt() }
        return oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0
    }
}

/// The endpoints that have a worker, shared by the loop and its workers.
private final class RunningEndpoints: Sendable {
    let ids = Mutex<Set<ID<Endpoint>>>([])
}
