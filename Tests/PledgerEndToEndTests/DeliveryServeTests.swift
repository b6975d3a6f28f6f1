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
            // A delivery is recorded after its POST arrives: scrape until the record shows (another
            // process's progress, so there is no clock to inject), at most for a minute.
            let client = TestClient(host: "127.0.0.1", port: server.port)
            client.connect()
            var text = ""
            for _ in 0..<600 {
                let metrics = try await client.get("/metrics")
                text = metrics.body.map { String(buffer: $0) } ?? ""
                if text.contains(#"pledger_outbound_deliveries_total{outcome="delivered"} 2"#) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
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

    /// Waits until `ids` distinct events have arrived, failing (not hanging) after a minute.
    func arriveDistinct(_ receiver: LoopbackReceiver, _ ids: Int) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                while Set(receiver.received().map(\.id)).count < ids {
                    await receiver.waitFor(count: receiver.received().count + 1)
                }
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let arrived = try await group.next() ?? false
            group.cancelAll()
            #expect(arrived, "\(Set(receiver.received().map(\.id)).count) of \(ids) events arrived")
        }
    }

    @Test(
        "SIGKILL in the middle of delivering: after a restart every event arrives, repeats only with the same id and body"
    )
    func crashResends() async throws {
        defer { try? FileManager.default.removeItem(at: serve.directory) }
        // The fourth POST is held open until the server has been killed.
        let responder: LoopbackReceiver.Responder = { receiver, _, n in
            if n == 4 { await receiver.waitForGate("killed") }
            return 200
        }
        try await LoopbackReceiver.run(clock: .system, responder: responder) { receiver, base in
            let endpoint = try addEndpoint(base + "/hooks")
            receiver.expectSecrets([endpoint.secret], path: "/hooks")
            for n in 0..<10 {
                _ = try serve.cli(
                    "pledge", "record", "--email", "reader\(n)@example.org", "--amount", "5.00", "--currency", "USD",
                    "--cadence", "monthly")
            }
            let outbox = try #require(
                try JSONSerialization.jsonObject(with: Data(serve.cli("events", "list", "--format", "json").utf8))
                    as? [[String: Any]])
            let eventIDs = Set(outbox.compactMap { $0["id"] as? String })
            #expect(eventIDs.count == 10)

            let first = try ServeTests.Server(
                directory: serve.directory, environment: ["PLEDGER_ALLOW_INSECURE_ENDPOINTS": "1"])
            try await arrive(receiver, 4)
            first.kill()
            receiver.openGate("killed")
            let second = try ServeTests.Server(
                directory: serve.directory, environment: ["PLEDGER_ALLOW_INSECURE_ENDPOINTS": "1"])
            try await arriveDistinct(receiver, 10)
            #expect(second.terminate().status == 0)

            let received = receiver.received()
            #expect(Set(received.map(\.id)) == eventIDs.reduce(into: Set<String?>()) { $0.insert($1) })
            #expect(received.count > 10, "the delivery in flight at the kill was sent again")
            #expect(received.allSatisfy { $0.verified == true })
            // A repeat is the same event: same webhook-id, same body, so a receiver can drop it.
            var bodies: [String: String] = [:]
            for delivery in received {
                let id = try #require(delivery.id)
                if let seen = bodies[id] { #expect(seen == delivery.bodyText) } else { bodies[id] = delivery.bodyText }
            }
            let listed = try serve.cli("deliveries", "list", "--status", "delivered", "--format", "json")
            let delivered = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [Any])
            #expect(delivered.count == 10)
        }
    }
}
