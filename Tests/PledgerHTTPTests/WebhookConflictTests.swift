import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// Issue 12, items 8 and 13: an event id reused with another signed body, and over-long identifiers.
@Suite("Webhook conflicts and identifiers")
struct WebhookConflictTests {
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    func stripeHeaders(_ body: [UInt8]) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[HTTPField.Name("Stripe-Signature")!] = StripeSignatureScheme.sign(
            body: body, secret: TestService.stripeSecret, timestamp: Int64(TestService.now.timeIntervalSince1970))
        return fields
    }

    func standardHeaders(id: String, _ body: [UInt8]) throws -> HTTPFields {
        let timestamp = Int64(TestService.now.timeIntervalSince1970)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[HTTPField.Name("webhook-id")!] = id
        fields[HTTPField.Name("webhook-timestamp")!] = "\(timestamp)"
        fields[HTTPField.Name("webhook-signature")!] = try StandardWebhooksScheme.sign(
            id: id, timestamp: timestamp, body: body, secret: Self.standardSecret)
        return fields
    }

    func checkout(pledgeID: String, amount: Int) -> [UInt8] {
        Array(
            #"""
            {"id": "evt_conflict_1", "object": "event", "type": "checkout.session.completed", "created": 1795000000,
             "data": {"object": {"id": "cs_1", "mode": "payment", "payment_status": "paid", "amount_total": \#(amount),
              "currency": "usd", "payment_intent": "pi_conflict_1", "metadata": {"pledge_id": "\#(pledgeID)"}}}}
            """#.utf8)
    }

    @Test("Same Stripe event id, another signed body: 409 event_conflict, nothing booked, kept, counted")
    func stripeConflict() async throws {
        let service = try await TestService()
        let app = service.ledger.app
        let pledge = try await app.pledges.record(
            PledgeRequest(email: "w@example.org", amount: usd("25.00"), cadence: .oneOff))
        let first = checkout(pledgeID: pledge.id.rawValue, amount: 2500)
        let second = checkout(pledgeID: pledge.id.rawValue, amount: 99_900)
        try await service.application.test(.router) { client in
            let accepted = try await client.execute(
                uri: "/v1/webhooks/stripe", method: .post, headers: stripeHeaders(first), body: ByteBuffer(bytes: first)
            )
            #expect(accepted.status == .ok)
            let before = try await service.ledger.store.read { try $0.rowCounts() }

            let conflict = try await client.execute(
                uri: "/v1/webhooks/stripe", method: .post, headers: stripeHeaders(second),
                body: ByteBuffer(bytes: second))
            #expect(conflict.status == .conflict)
            #expect(try conflict.errorCode() == "event_conflict")

            let after = try await service.ledger.store.read { try $0.rowCounts() }
            var expected = before
            expected["webhook_conflicts", default: 0] += 1
            #expect(after == expected)

            // The same body again is still a plain duplicate.
            let duplicate = try await client.execute(
                uri: "/v1/webhooks/stripe", method: .post, headers: stripeHeaders(first), body: ByteBuffer(bytes: first)
            )
            #expect(duplicate.status == .ok)
            #expect(try duplicate.object()["outcome"] as? String == "duplicate")

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains(#"pledger_webhook_events_total{provider="stripe",outcome="conflict"} 1"#))
        }
        let kept = try await app.webhooks.events(outcome: .conflict)
        #expect(kept.map(\.eventID) == ["evt_conflict_1"])
        #expect(kept.first?.payload == second)
        #expect(try await app.pledges.pledge(id: pledge.id).status == .completed)
        let payments = try await service.ledger.store.read { try $0.rowCounts()["payments"] }
        #expect(payments == 1)
    }

    @Test("Same webhook-id, another signed body (Standard Webhooks): 409 event_conflict")
    func standardConflict() async throws {
        let service = try await TestService()
        let first = Array(#"{"type": "something.else", "data": {"n": 1}}"#.utf8)
        let second = Array(#"{"type": "something.else", "data": {"n": 2}}"#.utf8)
        try await service.application.test(.router) { client in
            let accepted = try await client.execute(
                uri: "/v1/webhooks/standard", method: .post, headers: try standardHeaders(id: "msg_1", first),
                body: ByteBuffer(bytes: first))
            #expect(accepted.status == .ok, "\(accepted.text)")
            let conflict = try await client.execute(
                uri: "/v1/webhooks/standard", method: .post, headers: try standardHeaders(id: "msg_1", second),
                body: ByteBuffer(bytes: second))
            #expect(conflict.status == .conflict)
            #expect(try conflict.errorCode() == "event_conflict")
        }
    }

    @Test("A validly signed webhook-id over 255 characters is a 422 naming it; nothing stored")
    func longWebhookID() async throws {
        let service = try await TestService()
        let body = Array(#"{"type": "something.else", "data": {}}"#.utf8)
        let before = try await service.ledger.store.read { try $0.rowCounts() }
        try await service.application.test(.router) { client in
            let ok = try await client.execute(
                uri: "/v1/webhooks/standard", method: .post,
                headers: try standardHeaders(id: String(repeating: "m", count: 255), body),
                body: ByteBuffer(bytes: body))
            #expect(ok.status == .ok)
            let long = try await client.execute(
                uri: "/v1/webhooks/standard", method: .post,
                headers: try standardHeaders(id: String(repeating: "m", count: 256), body),
                body: ByteBuffer(bytes: body))
            #expect(long.status == .unprocessableContent)
            #expect(try (long.object()["error"] as? [String: Any])?["field"] as? String == "webhook-id")
        }
        let after = try await service.ledger.store.read { try $0.rowCounts() }
        #expect(after["webhook_events"] == (before["webhook_events"] ?? 0) + 1)
    }

    @Test("A validly signed event that happened before 2000 is a 422 on occurred_at; nothing stored")
    func eventBeforeLedgerStart() async throws {
        let service = try await TestService()
        let pledge = try await service.ledger.app.pledges.record(
            PledgeRequest(email: "w@example.org", amount: usd("25.00"), cadence: .monthly))
        let body = Array(
            #"""
            {"type": "pledge.payment_succeeded", "data": {"pledge_id": "\#(pledge.id)", "payment_id": "gw_1",
             "amount": 2500, "currency": "USD", "occurred_at": "1999-12-31T23:59:59Z"}}
            """#.utf8)
        let before = try await service.ledger.store.read { try $0.rowCounts() }
        try await service.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/webhooks/standard", method: .post, headers: try standardHeaders(id: "msg_old", body),
                body: ByteBuffer(bytes: body))
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(try (response.object()["error"] as? [String: Any])?["field"] as? String == "occurred_at")
        }
        #expect(try await service.ledger.store.read { try $0.rowCounts() } == before)
    }
}
