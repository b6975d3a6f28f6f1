import Foundation
import PledgerCore
import PledgerStoreInterface

/// The outbox read back: what Pledger told, or will tell, the publisher's tools.
public struct EventLog: Sendable {
    let store: any TransactionalStore

    /// Events in the order they happened (by sequence), optionally of one type and since an instant.
    public func list(type: OutboundEventType? = nil, since: Date? = nil, after: Int64? = nil, limit: Int = 100)
        async throws -> [OutboundEvent]
    {
        try PledgerError.checkLimit(limit)
        return try await store.snapshot { try $0.events(type: type, since: since, afterSequence: after, limit: limit) }
    }

    public func event(id: ID<OutboundEvent>) async throws -> OutboundEvent {
        try TextField.check(id.rawValue, field: "id")
        guard let event = try await store.snapshot({ try $0.event(id: id) }) else {
            throw PledgerError.notFound("event", id)
        }
        return event
    }
}
