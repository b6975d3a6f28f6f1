import Foundation

extension OutboundEvent {
    /// The same event with personal data removed from every part that carries some: the supporter's
    /// e-mail, external ref and name, a box request's e-mail, a supporter's own note on a request.
    /// What erasure (and a box request's expiry) leaves in the outbox; nil when there is nothing to remove.
    public func erasingPersonalData() -> OutboundEvent? {
        guard var envelope = try? OutboundJSON.decoder().decode(StoredEnvelope.self, from: Data(body.utf8))
        else { return nil }
        var changed = false
        if let supporter = envelope.data.supporter,
            supporter.email != nil || supporter.externalRef != nil || supporter.name != nil
        {
            envelope.data.supporter = .erased(supporter.id)
            changed = true
        }
        if envelope.data.confirmation?.email != nil {
            envelope.data.confirmation?.email = nil
            changed = true
        }
        if envelope.data.request?.note != nil {
            envelope.data.request?.note = nil
            changed = true
        }
        guard changed else { return nil }
        var erased = self
        erased.body = EventBodyWriter.envelope(envelope)
        return erased
    }

    /// The data part of a stored body, for tests and `events list`.
    public func decodedData() throws -> OutboundEventData {
        try OutboundJSON.decoder().decode(StoredEnvelope.self, from: Data(body.utf8)).data
    }

    /// The envelope every event body is: id, type, sequence, occurred-at, schema version, data.
    package struct StoredEnvelope: Codable {
        package var id: String
        package var type: String
        package var sequence: Int64
        package var occurredAt: String
        package var schemaVersion: Int
        package var data: OutboundEventData

        package init(
            id: String, type: String, sequence: Int64, occurredAt: String, schemaVersion: Int, data: OutboundEventData
        ) {
            self.id = id
            self.type = type
            self.sequence = sequence
            self.occurredAt = occurredAt
            self.schemaVersion = schemaVersion
            self.data = data
        }
    }
}
