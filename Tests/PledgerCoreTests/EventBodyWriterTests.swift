import Foundation
import PledgerCore
import Testing

/// The hand-written event body writer against Foundation's JSONEncoder (sorted keys, snake_case,
/// slashes unescaped): byte for byte, over every part and over awkward strings.
@Suite("Event body writer")
struct EventBodyWriterTests {
    static let awkward = [
        "plain", "", "quote \" and backslash \\", "slash / and https://x.example/a?b=c", "line\nbreak\r\ttab",
        "\u{08}\u{0C}\u{01}\u{1F}\u{7F}", "ünïcødé ✓ 😀 e\u{301}", "\u{2028}\u{2029}", "<script>&amp;</script>",
    ]

    /// Every part, with `text` in each free-text field, read from JSON (the parts have no public
    /// memberwise initialisers: the domain constructors build them in the product).
    static func drafts(_ text: String) throws -> [OutboundEventDraft] {
        let at = Date(timeIntervalSince1970: 1_795_000_000.123)
        let everything: [String: Any] = [
            "supporter": ["id": "sp_1", "email": text, "external_ref": text, "name": text],
            "pledge": [
                "id": "pl_1", "status": "active", "cadence": "monthly", "amount": 500, "currency": "USD",
                "source": text, "processor": text, "processor_ref": text, "created_at": "2026-11-01T00:00:00Z",
                "previous_status": "pending", "previous_amount": -9_223_372_036_854_775_807,
            ],
            "payment": [
                "id": "py_1", "processor": text, "external_id": text, "cadence": "annual", "amount": Int64.max,
                "fee": 0, "currency": "JPY", "occurred_at": "2026-11-01T00:00:00.5Z", "receipt_number": "2026-000123",
            ],
            "reversal": [
                "id": "rv_1", "kind": "chargeback", "external_id": text, "amount": 1, "fee": 1500, "currency": "EUR",
                "occurred_at": "2026-11-02T00:00:00Z",
            ],
            "reminder": ["id": "rm_1", "campaign": text, "due_at": "2026-11-03T00:00:00Z", "deferrals": 3],
            "renewal": [
                "renews_at": "2027-11-01T00:00:00Z", "amount": 6000, "currency": "USD", "cadence": "annual",
                "days_before": 7,
            ],
        ]
        let data = try OutboundJSON.decoder().decode(
            OutboundEventData.self, from: JSONSerialization.data(withJSONObject: everything))
        return [
            OutboundEventDraft(type: .paymentChargedBack, occurredAt: at, subjects: EventSubjects(), data: data),
            .supporterErased(ID("sp_2"), at: at),
            OutboundEventDraft(
                type: .reminderDue, occurredAt: at, subjects: EventSubjects(), data: OutboundEventData()),
        ]
    }

    @Test("Byte for byte what JSONEncoder writes", arguments: awkward)
    func sameBytes(text: String) throws {
        for draft in try Self.drafts(text) {
            let id = ID<OutboundEvent>("evt_\(text.count)")
            let written = draft.body(id: id, sequence: 42)
            let reference = OutboundJSON.encode(
                OutboundEvent.StoredEnvelope(
                    id: id.rawValue, type: draft.type.rawValue, sequence: 42,
                    occurredAt: Timestamp.format(draft.occurredAt), schemaVersion: OutboundEventDraft.schemaVersion,
                    data: draft.data))
            #expect(written == reference)
            // And it reads back to the same data.
            let event = draft.numbered(id: id, sequence: 42)
            #expect(try event.decodedData() == draft.data)
        }
    }
}
