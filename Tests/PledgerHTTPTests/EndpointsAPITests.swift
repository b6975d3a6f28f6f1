import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore
import PledgerStoreInterface
import PledgerTestSupport
import Testing

/// `/v1/endpoints`: managed with the `endpoints:write` scope; the secret is in the answers to
/// create and rotate-secret only.
@Suite("Endpoints API")
struct EndpointsAPITests {
    @Test("Create, list, disable, enable, rotate, remove; the secret shows once per create or rotation")
    func lifecycle() async throws {
        let service = try await TestService()
        let admin = try await service.ledger.app.operations.createToken(name: "ops", scopes: [.endpointsWrite]).token
        try await service.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/endpoints", method: .post, headers: service.headers(admin),
                body: json(
                    #"{"url":"https://hooks.example.org/p","events":"pledge.*,reminder.due","description":"Mailer"}"#))
            #expect(created.status == .created)
            let body = try created.object()
            let id = try #require(body["id"] as? String)
            let secret = try #require(body["secret"] as? String)
            #expect(id.hasPrefix("ep_"))
            #expect(secret.hasPrefix("whsec_"))
            #expect(body["events"] as? String == "pledge.*,reminder.due")

            let listed = try await client.execute(uri: "/v1/endpoints", method: .get, headers: service.headers(admin))
            #expect(listed.status == .ok)
            #expect(listed.text.contains(id))
            #expect(!listed.text.contains(secret))
            #expect(!listed.text.contains("secret\""))

            let disabled = try await client.execute(
                uri: "/v1/endpoints/\(id)/disable", method: .post, headers: service.headers(admin, json: false))
            #expect(try disabled.object()["status"] as? String == "disabled")
            let enabled = try await client.execute(
                uri: "/v1/endpoints/\(id)/enable", method: .post, headers: service.headers(admin, json: false))
            #expect(try enabled.object()["status"] as? String == "enabled")
            let rotated = try await client.execute(
                uri: "/v1/endpoints/\(id)/rotate-secret", method: .post, headers: service.headers(admin, json: false))
            let newSecret = try #require(try rotated.object()["secret"] as? String)
            #expect(newSecret != secret)
            #expect(try rotated.object()["previous_secret_expires_at"] as? String == "2026-11-21T12:00:00Z")

            let removed = try await client.execute(
                uri: "/v1/endpoints/\(id)", method: .delete, headers: service.headers(admin, json: false))
            #expect(try removed.object()["status"] as? String == "removed")
            let gone = try await client.execute(
                uri: "/v1/endpoints/\(id)/enable", method: .post, headers: service.headers(admin, json: false))
            #expect(gone.status == .notFound)
        }
    }

    @Test("Without endpoints:write the routes answer 403")
    func scope() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            let listed = try await client.execute(
                uri: "/v1/endpoints", method: .get, headers: service.headers(service.writer))
            #expect(listed.status == .forbidden)
            let created = try await client.execute(
                uri: "/v1/endpoints", method: .post, headers: service.headers(service.writer),
                body: json(#"{"url":"https://hooks.example.org/p","events":"*"}"#))
            #expect(created.status == .forbidden)
        }
    }

    @Test("A private or insecure URL is refused with 422 naming url; nothing is stored")
    func refused() async throws {
        let service = try await TestService()
        let admin = try await service.ledger.app.operations.createToken(name: "ops", scopes: [.endpointsWrite]).token
        try await service.application.test(.router) { client in
            for url in ["http://127.0.0.1:8080/h", "https://192.168.1.10/h", "https://169.254.169.254/"] {
                let response = try await client.execute(
                    uri: "/v1/endpoints", method: .post, headers: service.headers(admin),
                    body: json(#"{"url":"\#(url)","events":"*"}"#))
                #expect(response.status == .unprocessableContent, "\(url)")
                #expect(response.text.contains(#""field":"url""#) || response.text.contains(#""field" : "url""#))
            }
            let listed = try await client.execute(uri: "/v1/endpoints", method: .get, headers: service.headers(admin))
            #expect(try listed.object()["data"] as? [Any] == nil || (try listed.object()["data"] as! [Any]).isEmpty)
        }
    }

    @Test("/metrics shows deliveries by outcome and the age of the oldest undelivered event")
    func metrics() async throws {
        let service = try await TestService()
        let app = service.ledger.app
        _ = try await app.endpoints.add(EndpointRequest(url: "https://hooks.example.org/p", events: "*"))
        // Written an hour before the fixed now, and owed to the endpoint.
        let store = service.ledger.store
        _ = try await store.transaction { session in
            try session.appendEvent(
                .reminderDue(
                    Reminder(
                        id: "rm_1", supporterID: "sp_1", email: nil, campaign: "default", status: .open,
                        dueAt: TestService.now, deferrals: 0, createdAt: TestService.now, sentAt: nil,
                        convertedAt: nil, convertedPledgeID: nil)),
                recordedAt: TestService.now.addingTimeInterval(-3600))
        }
        PrometheusDeliveryObserver(registry: service.metrics).attempted(.delivered)
        try await service.application.test(.router) { client in
            let text = try await client.execute(uri: "/metrics", method: .get).text
            #expect(text.contains("pledger_outbound_oldest_undelivered_event_age_seconds 3600"))
            #expect(text.contains(#"pledger_outbound_deliveries_total{outcome="delivered"} 1"#))
        }
    }
}
