import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PledgerWebhooks
import Testing

/// Runs `pledger serve` as a real process on an ephemeral loopback port.
@Suite("pledger serve")
struct ServeTests {
    /// A running server process and its port, read from its start line.
    final class Server {
        let process = Process()
        let output = Pipe()
        let directory: URL
        private(set) var port = 0
        private(set) var firstLine = ""
        private(set) var logFile: URL

        init(directory: URL, environment: [String: String], db: String? = nil) throws {
            self.directory = directory
            logFile = directory
            process.executableURL = CommandLineTests.binary
            process.arguments = ["serve", "--port", "0", "--db", db ?? directory.appending(path: "ledger.sqlite").path]
            process.currentDirectoryURL = directory
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLEDGER_") }
                .merging(environment) { _, new in new }
            process.standardOutput = output
            // The access log goes to stderr; kept in a file so tests can read all the server printed.
            let log = directory.appending(path: "serve-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            logFile = log
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            // The start line is the readiness signal: the port is known once it is printed.
            var buffer = Data()
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                buffer.append(chunk)
            }
            firstLine = String(decoding: buffer, as: UTF8.self).components(separatedBy: "\n")[0]
            let afterColon = firstLine.components(separatedBy: "http://127.0.0.1:").last ?? ""
            port = Int(afterColon.prefix { $0.isNumber }) ?? 0
        }

        /// Kills the process with SIGKILL, as a crash or the OOM killer would, and waits for it.
        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            _ = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        }

        /// Sends SIGTERM and waits for the exit status and the rest of stdout.
        func terminate() -> (status: Int32, output: String) {
            process.terminate()
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
        }
    }

    let directory: URL
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "pledger-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs a CLI command against the same ledger.
    func cli(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments + ["--db", directory.appending(path: "ledger.sqlite").path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func object(_ response: TestClient.Response) throws -> [String: Any] {
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        return try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("A token, a pledge, a signed webhook and the report over real HTTP; SIGTERM exits 0")
    func liveRoundTrip() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try cli("token", "create", "--name", "site", "--scope", "pledges:write,reports:read")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("plg_"))
        let server = try Server(
            directory: directory, environment: ["PLEDGER_STANDARD_WEBHOOK_SECRETS": Self.standardSecret])
        #expect(server.port > 0, "start line: \(server.firstLine)")
        #expect(server.firstLine.contains("webhooks: stripe off, standard 1 secret"))
        #expect(!server.firstLine.contains(Self.standardSecret))

        let client = TestClient(host: "127.0.0.1", port: server.port)
        client.connect()
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        let created = try await client.post(
            "/v1/pledges", headers: headers,
            body: ByteBuffer(
                string: #"{"email": "live@example.org", "amount": 1000, "currency": "EUR", "cadence": "monthly"}"#))
        #expect(created.status == .created)
        let pledgeID = try #require(try object(created)["id"] as? String)

        // A payment from the publisher's gateway, signed as Standard Webhooks, dated last month.
        let body = Array(
            #"""
            {"type": "pledge.payment_succeeded", "data": {"pledge_id": "\#(pledgeID)", "payment_id": "gw_live_1",
             "amount": 1000, "currency": "EUR", "fee": 35, "occurred_at": "2026-10-15T10:00:00Z"}}
            """#.utf8)
        let timestamp = Int64(Date().timeIntervalSince1970)
        var webhookHeaders = HTTPFields()
        webhookHeaders[.contentType] = "application/json"
        webhookHeaders[HTTPField.Name("webhook-id")!] = "msg_live_1"
        webhookHeaders[HTTPField.Name("webhook-timestamp")!] = "\(timestamp)"
        webhookHeaders[HTTPField.Name("webhook-signature")!] = try StandardWebhooksScheme.sign(
            id: "msg_live_1", timestamp: timestamp, body: body, secret: Self.standardSecret)
        let delivered = try await client.post(
            "/v1/webhooks/standard", headers: webhookHeaders, body: ByteBuffer(bytes: body))
        #expect(delivered.status == .ok)
        #expect(try object(delivered)["outcome"] as? String == "processed")

        var readHeaders = HTTPFields()
        readHeaders[.authorization] = "Bearer \(token)"
        let report = try await client.get("/v1/reports/monthly?month=2026-10", headers: readHeaders)
        #expect(report.status == .ok)
        let eur = try #require((try object(report)["currencies"] as? [[String: Any]])?.first)
        #expect((eur["receipts"] as? [String: Any])?["gross"] as? Int == 1000)
        #expect((eur["receipts"] as? [String: Any])?["net"] as? Int == 965)
        try await client.shutdown()

        let (status, output) = server.terminate()
        #expect(status == 0)
        #expect(output.contains("database closed"))
        // What the server committed is there for the CLI after it stopped.
        #expect(try cli("verify").contains("Ledger OK"))
    }

    @Test("SIGTERM while idle: a clean exit with status 0")
    func cleanShutdown() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Server(directory: directory, environment: [:])
        #expect(server.port > 0)
        let client = TestClient(host: "127.0.0.1", port: server.port)
        client.connect()
        let health = try await client.get("/healthz")
        #expect(health.status == .ok)
        try await client.shutdown()
        let (status, output) = server.terminate()
        #expect(status == 0)
        #expect(output.contains("pledger stopped; database closed"))
    }

    /// The curl lines of the README's quick start, exactly as written.
    static func readmeQuickstart() throws -> String {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appending(path: "README.md").path) {
            directory = directory.deletingLastPathComponent()
        }
        let readme = try String(contentsOf: directory.appending(path: "README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- quickstart:"))
        let afterMarker = readme[marker.upperBound...]
        let open = try #require(afterMarker.range(of: "```sh\n"))
        let close = try #require(afterMarker[open.upperBound...].range(of: "```"))
        return String(afterMarker[open.upperBound..<close.lowerBound])
    }

    @Test("The README's curl quick start works exactly as written")
    func readmeCurlExamples() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = try Self.readmeQuickstart()
        #expect(script.contains("curl"))
        let token = try cli(
            "token", "create", "--name", "site", "--scope", "pledges:write,reminders:write,reports:read"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try Server(directory: directory, environment: [:])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-euo", "pipefail", "-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["PLEDGER": "http://127.0.0.1:\(server.port)", "TOKEN": token]) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains(#""status" : "pending""#))
        #expect(output.contains(#""deferrals" : 0"#))
        #expect(output.contains("month,time_zone,currency,section,metric,value,unit"))
        #expect(server.terminate().status == 0)
    }

    @Test("Nothing the server or the CLI prints holds a secret, a token or a signature")
    func noSecretsPrinted() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let stripeSecret = "whsec_stripe_printed_nowhere"
        let created = try cli("token", "create", "--name", "site", "--scope", "pledges:write")
        let token = created.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try Server(
            directory: directory,
            environment: [
                "PLEDGER_STANDARD_WEBHOOK_SECRETS": Self.standardSecret, "PLEDGER_STRIPE_WEBHOOK_SECRETS": stripeSecret,
                "LOG_LEVEL": "trace",
            ])
        let client = TestClient(host: "127.0.0.1", port: server.port)
        client.connect()
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        _ = try await client.post(
            "/v1/pledges", headers: headers,
            body: ByteBuffer(
                string: #"{"email": "s@example.org", "amount": 500, "currency": "USD", "cadence": "monthly"}"#))
        var wrongToken = headers
        wrongToken[.authorization] = "Bearer \(token)x"
        _ = try await client.post("/v1/pledges", headers: wrongToken, body: ByteBuffer(string: "{}"))
        let body = Array(#"{"id": "evt_s", "type": "invoice.paid", "created": 1, "data": {"object": {}}}"#.utf8)
        let good = StripeSignatureScheme.sign(
            body: body, secret: stripeSecret, timestamp: Int64(Date().timeIntervalSince1970))
        let forged = StripeSignatureScheme.sign(
            body: body, secret: "whsec_attacker", timestamp: Int64(Date().timeIntervalSince1970))
        var webhook = HTTPFields()
        webhook[.contentType] = "application/json"
        for signature in [good, forged] {
            webhook[HTTPField.Name("Stripe-Signature")!] = signature
            _ = try await client.post("/v1/webhooks/stripe", headers: webhook, body: ByteBuffer(bytes: body))
        }
        try await client.shutdown()
        let (_, stdout) = server.terminate()
        let log = try String(contentsOf: server.logFile, encoding: .utf8)
        #expect(log.contains("route=/v1/pledges"), "the access log was captured")
        let printed = server.firstLine + stdout + log + (try cli("token", "list")) + (try cli("webhooks", "list"))
        for secret in [
            token, stripeSecret, Self.standardSecret, good, forged, String(good.suffix(64)), String(forged.suffix(64)),
        ] {
            #expect(!printed.contains(secret), "printed output holds \(secret.prefix(10))…")
        }
    }
}
