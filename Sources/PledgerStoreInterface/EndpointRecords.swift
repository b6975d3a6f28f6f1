import Foundation
import PledgerCore

/// The publisher's endpoints and the deliveries of events to them. Deliveries are not fanned out
/// when an event is written: the deliverer walks each endpoint's events after its cursor and
/// records what it sent, so writing an event costs the same with or without endpoints.
public protocol EndpointRecords {
    /// Stores a new endpoint with its signing secret; its cursor starts at `startSequence`.
    func insertEndpoint(_ endpoint: Endpoint, secret: String) throws
    func endpoint(id: ID<Endpoint>) throws -> Endpoint?
    /// Oldest first; removed ones only when asked.
    func endpoints(includeRemoved: Bool) throws -> [Endpoint]
    func setEndpointStatus(_ id: ID<Endpoint>, status: EndpointStatus, reason: String?, at: Date) throws
    /// Makes `secret` the signing secret; the one before it keeps signing until `previousExpiresAt`.
    func rotateEndpointSecret(_ id: ID<Endpoint>, secret: String, previousExpiresAt: Date, at: Date) throws
    /// Marks the endpoint removed and forgets its secrets; its deliveries stay for the record.
    func removeEndpoint(_ id: ID<Endpoint>, at: Date) throws

    /// Enabled endpoints with their secrets and cursors, for the deliverer only.
    func deliveryTargets() throws -> [DeliveryTarget]
    func deliveryTarget(id: ID<Endpoint>) throws -> DeliveryTarget?
    /// Events after `afterSequence` of the given types, in sequence order.
    func events(types: [OutboundEventType], afterSequence: Int64, limit: Int) throws -> [OutboundEvent]
    /// The endpoint's pending delivery of the earliest event, with that event: it holds back the later ones.
    func firstPendingDelivery(endpoint: ID<Endpoint>) throws -> (Delivery, OutboundEvent)?
    /// Records an attempt's outcome, creating the delivery row on its first attempt.
    func recordDeliveryAttempt(_ attempt: DeliveryAttempt) throws
    /// Moves the endpoint's cursor forward (never back).
    func advanceEndpointCursor(_ id: ID<Endpoint>, to sequence: Int64) throws
    func setEndpointFailingSince(_ id: ID<Endpoint>, _ since: Date?) throws

    func delivery(id: ID<Delivery>) throws -> Delivery?
    /// Most recent event first.
    func deliveries(endpoint: ID<Endpoint>?, status: DeliveryStatus?, limit: Int) throws -> [Delivery]
    /// Puts failed deliveries back to pending, due at `at`: one by id, or an endpoint's since an instant.
    /// - Returns: how many were put back.
    func retryFailedDeliveries(id: ID<Delivery>?, endpoint: ID<Endpoint>?, since: Date?, at: Date) throws -> Int
    /// When the oldest event still owed to an enabled endpoint was recorded; nil when none is owed.
    func oldestUndeliveredEventRecordedAt() throws -> Date?
}
