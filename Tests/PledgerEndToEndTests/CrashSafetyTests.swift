import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PledgerCore
import PledgerWebhooks
import Synchronization
import Testing

/// Kills `pledger serve` with SIGKILL in the middle of concurrent writes, several times, then
/// redelivers everything and checks that nothing acknowledged was lost and nothing was booked twice.
@Suite("Crash safety")
struct CrashSafetyTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// One request the clients send: an API pledge with an idempotency key, or a signed payment webhook.
    enum Job: Sendable {
        case pledge(key: String, email: String)
        case payment(eventID: String, pledgeID: String, paymentID: String)

        var name: String {
            switch self {
            case .pledge(let key, _): "pledge \(key)"
            case .payment(let eventID, _, _): "event \(eventID)"
            }
        }
    }

    let directory: URL
    var db: String { directory.appending(path: "ledger.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "pledger-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cli(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments + ["--db", db]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLEDGER_") }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    /// Sends one job; true when the server answered 2xx (the job is then acknowledged).
    static func send(_ job: Job, client: TestClient, token: String) async throws -> Bool {
        switch job {
        case .pledge(let key, let email):
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            headers[.contentType] = "application/json"
            headers[HTTPField.Name("Idempotency-Key")!] = key
            let body = #"{"email": "\#(email)", "amount": 700, "currency": "USD", "cadence": "monthly"}"#
            let response = try await client.post("/v1/pledges", headers: headers, body: ByteBuffer(string: body))
            return (200..<300).contains(response.status.code)
        case .payment(let eventID, let pledgeID, let paymentID):
            let body = Array(
                #"""
                {"type": "pledge.payment_succeeded", "data": {"pledge_id": "\#(pledgeID)", "payment_id": "\#(paymentID)",
                 "amount": 500, "currency": "EUR", "occurred_at": "2026-10-10T10:00:00Z"}}
                """#.utf8)
            let timestamp = Int64(Date().timeIntervalSince1970)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[HTTPField.Name("webhook-id")!] = eventID
            headers[HTTPField.Name("webhook-timestamp")!] = "\(timestamp)"
            headers[HTTPField.Name("webhook-signature")!] = try StandardWebhooksScheme.sign(
                id: eventID, timestamp: timestamp, body: body, secret: secret)
            let response = try await client.post(
                "/v1/webhooks/standard", headers: headers, body: ByteBuffer(bytes: body))
            return response.status == .ok
        }
    }

    /// Runs `clients` concurrent clients over `jobs` (each client its own share) until done or the server dies.
    static func load(
        _ jobs: [Job], port: Int, token: String, clients: Int, onAcknowledged: (@Sendable () -> Void)? = nil
    ) async -> Set<String> {
        await withTaskGroup(of: Set<String>.self) { group in
            for index in 0..<clients {
                let share = jobs.enumerated().filter { $0.offset % clients == index }.map(\.element)
                group.addTask {
                    var acknowledged: Set<String> = []
                    let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(5)))
                    client.connect()
                    for job in share {
                        guard let ok = try? await send(job, client: client, token: token) else { break }
                        if ok {
                            acknowledged.insert(job.name)
                            onAcknowledged?()
                        }
                    }
                    try? await client.shutdown()
                    return acknowledged
                }
            }
            var all: Set<String> = []
            for await part in group { all.formUnion(part) }
            return all
        }
    }

    @Test("SIGKILL mid-load, several rounds: every acknowledged write survives, every event is booked once")
    func killAndRedeliver() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try cli(["token", "create", "--name", "load", "--scope", "pledges:write"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Pledges the payment webhooks are for, recorded before the load.
        var pledgeIDs: [String] = []
        for n in 0..<8 {
            let out = try cli([
                "pledge", "record", "--email", "base\(n)@example.org", "--amount", "5.00", "--currency", "EUR",
                "--cadence", "monthly", "--format", "json",
            ]).stdout
            let object = try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            pledgeIDs.append(try #require(object["id"] as? String))
        }
        var jobs: [Job] = []
        for n in 0..<450 {
            if n % 3 == 0 {
                jobs.append(.pledge(key: "key-\(n)", email: "load\(n)@example.org"))
            } else {
                jobs.append(
                    .payment(
                        eventID: "msg_crash_\(n)", pledgeID: pledgeIDs[n % pledgeIDs.count], paymentID: "gw_crash_\(n)")
                )
            }
        }
        var rng = SeededGenerator(seed: 0xC0FFEE)
        var acknowledged: Set<String> = []
        var interrupted = 0
        for round in 0..<3 {
            let server = try ServeTests.Server(
                directory: directory, environment: ["PLEDGER_STANDARD_WEBHOOK_SECRETS": Self.secret], db: db)
            #expect(server.port > 0, "round \(round): \(server.firstLine)")
            // Killed after a random number of acknowledgements, so the kill lands mid-load however
            // fast or slow the machine is today (no timer involved).
            let killAt = Int(20 + rng.next(upTo: 280))
            let (acks, ackContinuation) = AsyncStream<Void>.makeStream()
            let port = server.port
            let ordered = jobs.shuffled(using: &rng)
            let load = Task {
                let acknowledged = await Self.load(ordered, port: port, token: token, clients: 4) {
                    ackContinuation.yield()
                }
                ackContinuation.finish()  // ends the wait below even if the kill point is never reached
                return acknowledged
            }
            var seen = 0
            for await _ in acks {
                seen += 1
                if seen >= killAt { break }
            }
            server.kill()
            let thisRound = await load.value
            if thisRound.count < jobs.count { interrupted += 1 }
            acknowledged.formUnion(thisRound)
        }
        #expect(!acknowledged.isEmpty)
        // The kills really landed mid-load (else this test would prove nothing).
        #expect(interrupted >= 2, "only \(interrupted) of 3 rounds were cut short")

        // Everything acknowledged before a kill is there, before any redelivery.
        let events = try cli(["webhooks", "list", "--format", "json", "--limit", "10000"]).stdout
        let stored = Set(
            try #require(JSONSerialization.jsonObject(with: Data(events.utf8)) as? [[String: Any]]).compactMap {
                $0["event_id"] as? String
            })
        let pledges = try cli(["pledge", "list", "--format", "json", "--limit", "10000"]).stdout
        let emails = Set(
            try #require(JSONSerialization.jsonObject(with: Data(pledges.utf8)) as? [[String: Any]]).compactMap {
                $0["email"] as? String
            })
        for job in jobs where acknowledged.contains(job.name) {
            switch job {
            case .pledge(_, let email): #expect(emails.contains(email), "\(job.name) was acknowledged but is lost")
            case .payment(let eventID, _, _):
                #expect(stored.contains(eventID), "\(job.name) was acknowledged but is lost")
            }
        }

        // Redeliver everything, with a CLI writing to the same ledger at the same time.
        let server = try ServeTests.Server(
            directory: directory, environment: ["PLEDGER_STANDARD_WEBHOOK_SECRETS": Self.secret], db: db)
        async let redelivered = Self.load(jobs, port: server.port, token: token, clients: 4)
        var cliFailures: [String] = []
        for n in 0..<10 {
            let result = try cli(["reminder", "schedule", "--email", "cli\(n)@example.org"])
            if result.status != 0 { cliFailures.append(result.stderr) }
        }
        let second = await redelivered
        #expect(second.count == jobs.count, "every job is acknowledged on redelivery")
        #expect(cliFailures.isEmpty, "CLI writes beside the server: \(cliFailures)")
        #expect(server.terminate().status == 0)

        // Exactly once: one payment per event, one pledge per idempotency key.
        let report = try cli(["report", "monthly", "--month", "2026-10", "--format", "json"]).stdout
        let currencies = try #require(
            (JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])?["currencies"] as? [[String: Any]]
        )
        let eur = try #require(currencies.first { $0["currency"] as? String == "EUR" })
        let paymentJobs = jobs.filter { if case .payment = $0 { true } else { false } }.count
        #expect((eur["receipts"] as? [String: Any])?["payments"] as? Int == paymentJobs)
        #expect((eur["receipts"] as? [String: Any])?["gross"] as? Int == paymentJobs * 500)
        let finalPledges = try cli(["pledge", "list", "--format", "json", "--limit", "10000"]).stdout
        let count = try #require(JSONSerialization.jsonObject(with: Data(finalPledges.utf8)) as? [Any]).count
        #expect(count == 8 + jobs.count - paymentJobs)
        let verify = try cli(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
    }
}
