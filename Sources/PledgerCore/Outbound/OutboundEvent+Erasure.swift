import Foundation

extension OutboundEvent {
    /// The same event with the supporter's personal data removed (e-mail, external ref, name):
    /// what erasure leaves in the outbox. Nil when the body has nothing to remove.
    public func erasingPersonalData() -> OutboundEvent? {
        guard var envelope = try? OutboundJSON.decoder().decode(StoredEnvelope.self, from: Data(body.utf8))
        else { return nil }
        if let confirmation = envelope.data.confirmation, confirmation.email != nil {
            // A box request's e-mail, when it expires unconfirmed or its owner is erased.
            envelope.data.confirmation?.email = nil
        } else {
            guard let supporter = envelope.data.supporter,
                supporter.email != nil || supporter.externalRef != nil || supporter.name != nil
            else { return nil }
            envelope.data.supporter = .erased(supporter.id)
        }
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
