import Foundation

/// One event in the outbox: written in the same transaction as the change it reports, then
/// delivered, signed, to every endpoint subscribed to its type.
public struct OutboundEvent: Sendable, Equatable {
    /// `evt_…`; also the `webhook-id` of every delivery of it, so a receiver can drop repeats.
    public var id: ID<OutboundEvent>
    /// Grows with every event and is never reused: deliveries to one endpoint go in this order.
    public var sequence: Int64
    public var type: OutboundEventType
    public var occurredAt: Date
    /// The records it is about, kept beside the payload so erasure and acknowledgements find it.
    public var subjects: EventSubjects
    /// The JSON body exactly as stored and as sent (see ``OutboundEventDraft/body(id:sequence:)``).
    public var body: String

    public init(
        id: ID<OutboundEvent>, sequence: Int64, type: OutboundEventType, occurredAt: Date, subjects: EventSubjects,
        body: String
    ) {
        self.id = id
        self.sequence = sequence
        self.type = type
        self.occurredAt = occurredAt
        self.subjects = subjects
        self.body = body
    }
}

extension OutboundEvent: IdentifiedEntity {
    public static let idPrefix = "evt"
}

/// The records an event is about.
public struct EventSubjects: Sendable, Equatable {
    public var supporterID: ID<Supporter>?
    public var pledgeID: ID<Pledge>?
    public var reminderID: ID<Reminder>?
    public var paymentID: ID<Payment>?
    /// A box "remind me later" before it is confirmed (no supporter exists yet).
    public var requestID: ID<UnconfirmedReminder>?

    public init(
        supporterID: ID<Supporter>? = nil, pledgeID: ID<Pledge>? = nil, reminderID: ID<Reminder>? = nil,
        paymentID: ID<Payment>? = nil, requestID: ID<UnconfirmedReminder>? = nil
    ) {
        self.requestID = requestID
        self.supporterID = supporterID
        self.pledgeID = pledgeID
        self.reminderID = reminderID
        self.paymentID = paymentID
    }
}

/// An event before the outbox numbers it.
public struct OutboundEventDraft: Sendable, Equatable {
    public var type: OutboundEventType
    public var occurredAt: Date
    public var subjects: EventSubjects
    public var data: OutboundEventData

    public init(type: OutboundEventType, occurredAt: Date, subjects: EventSubjects, data: OutboundEventData) {
        self.type = type
        self.occurredAt = occurredAt
        self.subjects = subjects
        self.data = data
    }

    /// The catalogue's version of the envelope and of every `data` shape; bumped only with a new
    /// section in docs/events.md, never for an added optional field.
    public static let schemaVersion = 1

    /// The envelope every event is sent in: compact JSON, snake_case keys, sorted, so the same
    /// event always has the same bytes (and signature).
    public func body(id: ID<OutboundEvent>, sequence: Int64) -> String {
        let envelope = OutboundEvent.StoredEnvelope(
            id: id.rawValue, type: type.rawValue, sequence: sequence, occurredAt: Timestamp.format(occurredAt),
            schemaVersion: Self.schemaVersion, data: data)
        return EventBodyWriter.envelope(envelope)
    }

    /// The event with an id and a sequence number: what the outbox stores.
    public func numbered(id: ID<OutboundEvent>, sequence: Int64) -> OutboundEvent {
        OutboundEvent(
            id: id, sequence: sequence, type: type, occurredAt: occurredAt, subjects: subjects,
            body: body(id: id, sequence: sequence))
    }
}

/// Event bodies through Foundation's JSON coders: the reference form `EventBodyWriter` must equal
/// (its tests compare them), and the decoder that reads stored bodies back.
package enum OutboundJSON {
    package static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
