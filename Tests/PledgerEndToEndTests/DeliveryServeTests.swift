import Foundation
import HummingbirdTesting
import NIOCore
import PledgerCore
import PledgerTestSupport
import Testing

/// `pledger serve` delivering to a receiver on loopback: the deliverer in the ServiceGroup, and
/// the at-least-once promise across a SIGKILL.
@Suite("pledger serve delivers")
struct DeliveryServeTests {
    let serve: ServeTests

    init() throws {
        serve = try ServeTests()
    }

    /// Waits for `count` POSTs, failing (not hanging) when they do not come within a minute.
    func arrive(_ receiver: LoopbackReceiver, _ count: Int) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await receiver.waitFor(count: count)
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let arrived = try await group.next() ?? false
            group.cancelAll()
            #expect(arrived, "\(receiver.received().count) of \(count) deliveries arrived")
        }
    }

    func addEndpoint(_ url: String) throws -> (id: String, secret: String) {
        let json = try serve.cli(
            "endpoint", "add", "--url", url, "--events", "pledge.*", "--allow-insecure-endpoints", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (try #require(object["id"] as? String), try #require(object["secret"] as? String))
    }

    @Test("serve delivers new events, signed; endpoint list never shows the secret; SIGTERM exits 0")
    func serveDelivers() async throws {
        defer { try? FileManager.default.removeItem(at: serve.directory) }
        try await LoopbackReceiver.run(clock: .system) { receiver, base in
            let endpoint = try addEndpoint(base + "/hooks")
            receiver.expectSecrets([endpoint.secret], path: "/hooks")
            #expect(!(try serve.cli("endpoint", "list")).contains(endpoint.secret))
            #expect(!(try serve.cli("endpoint", "list", "--format", "json")).contains(endpoint.secret))
            let server = try ServeTests.Server(
                directory: serve.directory, environment: ["PLEDGER_ALLOW_INSECURE_ENDPOINTS": "1"])
            #expect(server.port > 0, "start line: \(server.firstLine)")
            _ = try serve.cli(
                "pledge", "record", "--email", "a@example.org", "--amount", "5.00", "--currency", "USD", "--cadence",
                "monthly")
            _ = try serve.cli(
                "reminder", "schedule", "--email", "b@example.org")
            _ = try serve.cli(
                "pledge", "record", "--email", "c@example.org", "--amount", "7.00", "--currency", "USD", "--cadence",
                "annual")
            try await arrive(receiver, 2)
            let client = TestClient(host: "127.0.0.1", port: server.port)
            client.connect()
            let metrics = try await client.get("/metrics")
            let text = metrics.body.map { String(buffer: $0) } ?? ""
            try await client.shutdown()
            #expect(text.contains(#"pledger_outbound_deliveries_total{outcome="delivered"} 2"#), "\(text)")
            #expect(text.contains("pledger_outbound_oldest_undelivered_event_age_seconds 0"))
            let stopped = server.terminate()
            #expect(stopped.status == 0)
            let received = receiver.received()
            #expect(received.count == 2)
            #expect(received.allSatisfy { $0.verified == true })
            #expect(received.allSatisfy { $0.bodyText.contains(#""type":"pledge.created""#) })
            let listed = try serve.cli("deliveries", "list", "--format", "json")
            #expect(listed.components(separatedBy: #""status" : "delivered""#).count - 1 == 2)
            let log = try String(contentsOf: server.logFile, encoding: .utf8)
            #expect(!log.contains(endpoint.secret))
        }
    }

    @Test("SIGKILL while a delivery is in flight: after a restart it is sent again with the same webhook-id")
    func crashResends() async throws {
        defer { try? FileManager.default.removeItem(at: serve.directory) }
        // The first POST is held open until the server has been killed.
        let responder: LoopbackReceiver.Responder = { receiver, _, n in
            if n == 1 { await receiver.waitForGate("killed") }
            return 200
        }
        try await LoopbackReceiver.run(clock: .system, responder: responder) { receiver, base in
            let endpoint = try addEndpoint(base + "/hooks")
            receiver.expectSecrets([endpoint.secret], path: "/hooks")
            _ = try serve.cli(
                "pledge", "record", "--email", "a@example.org", "--amount", "5.00", "--currency", "USD", "--cadence",
                "monthly")
            let first = try ServeTests.Server(
                directory: serve.directory, environment: ["PLEDGER_ALLOW_INSECURE_ENDPOINTS": "1"])
            try await arrive(receiver, 1)
            first.kill()
            receiver.openGate("killed")
            let second = try ServeTests.Server(
                directory: serve.directory, environment: ["PLEDGER_ALLOW_INSECURE_ENDPOINTS": "1"])
            try await arrive(receiver, 2)
            #expect(second.terminate().status == 0)
            let received = receiver.received()
            #expect(received.count >= 2)
            #expect(Set(received.map(\.id)).count == 1)
            #expect(received.allSatisfy { $0.verified == true })
            #expect(try serve.cli("deliveries", "list").contains("delivered"))
        }
    }
}
