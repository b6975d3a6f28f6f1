import Foundation

extension OutboundEvent {
    /// The same event with the supporter's personal data removed (e-mail, external ref, name):
    /// what erasure leaves in the outbox. Nil when the body has nothing to remove.
    public func erasingPersonalData() -> OutboundEvent? {
        guard var envelope = try? OutboundJSON.decoder().decode(StoredEnvelope.self, from: Data(body.utf8)),
            let supporter = envelope.data.supporter,
            supporter.email != nil || supporter.externalRef != nil || supporter.name != nil
        else { return nil }
        envelope.data.supporter = .erased(supporter.id)
        var erased = self
        erased.body = OutboundJSON.encode(envelope)
        return erased
    }

    /// The data part of a stored body, for tests and `events list`.
    public func decodedData() throws -> OutboundEventData {
        try OutboundJSON.decoder().decode(StoredEnvelope.self, from: Data(body.utf8)).data
    }

    /// The envelope every event body is: id, type, sequence, occurred-at, schema version, data.
    struct StoredEnvelope: Codable {
        var id: String
        var type: String
        var sequence: Int64
        var occurredAt: String
        var schemaVersion: Int
        var data: OutboundEventData
    }
}
