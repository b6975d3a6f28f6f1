import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// The gateway secret the ingestion figures sign with.
let benchGatewaySecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func ingestionConfig() -> PledgerConfig {
    var config = PledgerConfig()
    config.webhooks.standardSecrets = [benchGatewaySecret]
    config.delivery.addresses.allowInsecure = true
    return config
}

/// Durable ingestion in process: 32 producers, each `perProducer` signed payment events for its own
/// pledge, through verify, decode, book and the outbox. Events per second.
@MainActor func measureIngestion(_ app: Pledger, perProducer: Int) async throws -> Double {
    var pledges: [String] = []
    for n in 0..<32 {
        pledges.append(
            try await app.pledges.record(
                PledgeRequest(
                    email: "p\(n)@example.org", amount: Money(minorUnits: 500, currency: .eur), cadence: .monthly)
            ).id.rawValue)
    }
    let pledgeIDs = pledges
    let elapsed = await asyncSeconds {
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<32 {
                group.addTask {
                    for n in 0..<perProducer {
                        let id = "msg_\(producer)_\(n)"
                        let body = Array(
                            #"{"type": "pledge.payment_succeeded", "data": {"pledge_id": "\#(pledgeIDs[producer])", "payment_id": "gw_\#(producer)_\#(n)", "amount": 500, "currency": "EUR", "occurred_at": "2026-10-10T10:00:00Z"}}"#
                                .utf8)
                        let timestamp = Int64(Date().timeIntervalSince1970)
                        let signature = try! StandardWebhooksScheme.sign(
                            id: id, timestamp: timestamp, body: body, secret: benchGatewaySecret)
                        let result = try! await app.webhooks.ingest(
                            WebhookDelivery(
                                provider: .standard,
                                headers: [
                                    ("webhook-id", id), ("webhook-timestamp", "\(timestamp)"),
                                    ("webhook-signature", signature),
                                ], body: body))
                        precondition(result.outcome == .processed, "\(result)")
                    }
                }
            }
        }
    }
    return Double(32 * perProducer) / elapsed
}

struct OutboundFigures {
    var deliveryRate: Double
    var rawPostRate: Double
    var ingestionAlone: Double
    var ingestionDelivering: Double
    /// Ingestion with 4 endpoints whose deliveries run in another process (`serve --no-deliver`).
    var ingestionEndpointsIdle: Double
}

/// `pledger-bench --receiver-child`: a receiver on 127.0.0.1 that answers 204 to every POST, in a
/// process of its own (as a publisher's mailer would be), printing its port on the first line.
func runReceiverChild() async throws {
    let router = Router()
    router.post("**") { request, _ -> Response in
        _ = try await request.body.collect(upTo: 1 << 20)
        return Response(status: .noContent)
    }
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            FileHandle.standardOutput.write(
                Data("receiver on http://127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8))
        })
    try await app.runService()
}

/// The receiver child for the duration of `body` (given its port).
@MainActor func withLoopbackReceiver<T>(_ body: @MainActor (Int) async throws -> T) async throws -> T {
    let process = Process()
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--receiver-child"]
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
        process.terminate()
        process.waitUntilExit()
    }
    var buffer = Data()
    while !buffer.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        guard !chunk.isEmpty else { break }
        buffer.append(chunk)
    }
    let line = String(decoding: buffer, as: UTF8.self)
    guard let port = Int((line.components(separatedBy: "http://127.0.0.1:").last ?? "").prefix { $0.isNumber }) else {
        throw BenchError("the receiver did not start: \(line)")
    }
    return try await body(port)
}

@MainActor func measureOutbound(in directory: URL) async throws -> OutboundFigures {
    let eventsPerEndpoint = 2500
    let perProducer = 300
    return try await withLoopbackReceiver { port in
        // Deliveries: 2,500 events to each of 4 endpoints, in event order per endpoint.
        let app = try Pledger.open(path: directory.appending(path: "outbound.sqlite").path, config: ingestionConfig())
        for n in 0..<4 {
            _ = try await app.endpoints.add(EndpointRequest(url: "http://127.0.0.1:\(port)/e\(n)", events: "*"))
        }
        for n in 0..<eventsPerEndpoint {
            _ = try await app.reminders.schedule(ReminderRequest(email: "r\(n)@example.org"))
        }
        let sender = app.deliveries.makeHTTPSender()
        var summary = DeliveryPassSummary()
        let deliveryTime = try await asyncSeconds { summary = try await app.deliveries.deliverDue(sender: sender) }
        precondition(summary.delivered == 4 * eventsPerEndpoint, "\(summary)")

        // The same bodies, unsigned, POSTed by AsyncHTTPClient in 4 sequential streams: the ceiling.
        let bodies = try await app.events.list(limit: eventsPerEndpoint).map(\.body)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let rawTime = try await asyncSeconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<4 {
                    group.addTask {
                        for body in bodies {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/raw\(n)")
                            request.method = .POST
                            request.headers.add(name: "content-type", value: "application/json")
                            request.body = .bytes(ByteBuffer(string: body))
                            let response = try await client.execute(request, timeout: .seconds(10))
                            precondition(response.status.code == 204)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await client.shutdown()

        // Ingestion alone (no endpoint), then with the deliverer running to 4 endpoints beside it.
        let alone = try Pledger.open(path: directory.appending(path: "alone.sqlite").path, config: ingestionConfig())
        let ingestionAlone = try await measureIngestion(alone, perProducer: perProducer)
        let idle = try Pledger.open(path: directory.appending(path: "idle.sqlite").path, config: ingestionConfig())
        for n in 0..<4 {
            _ = try await idle.endpoints.add(EndpointRequest(url: "http://127.0.0.1:\(port)/i\(n)", events: "*"))
        }
        let ingestionEndpointsIdle = try await measureIngestion(idle, perProducer: perProducer)
        let busy = try Pledger.open(path: directory.appending(path: "busy.sqlite").path, config: ingestionConfig())
        for n in 0..<4 {
            _ = try await busy.endpoints.add(EndpointRequest(url: "http://127.0.0.1:\(port)/b\(n)", events: "*"))
        }
        let stop = StopFlag()
        let deliverer = Task(priority: .background) {
            await busy.deliveries.run(sender: sender, stopping: { stop.isSet })
        }
        let ingestionDelivering = try await measureIngestion(busy, perProducer: perProducer)
        stop.set()
        await deliverer.value
        try await sender.shutdown()
        return OutboundFigures(
            deliveryRate: Double(4 * eventsPerEndpoint) / deliveryTime,
            rawPostRate: Double(4 * eventsPerEndpoint) / rawTime, ingestionAlone: ingestionAlone,
            ingestionDelivering: ingestionDelivering, ingestionEndpointsIdle: ingestionEndpointsIdle)
    }
}

/// Set once, read from any task.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
