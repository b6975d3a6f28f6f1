import Foundation
import Testing

/// Runs the built `pledger` binary as a person would, in a temporary working directory.
@Suite("pledger on the command line")
struct CommandLineTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String

        func json() throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        }
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "pledger-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The binary SwiftPM built beside the test bundle (this target depends on it).
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["PLEDGER_BIN"] {
            return URL(fileURLWithPath: override)
        }
        let candidates =
            [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
            + [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appending(path: "pledger")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appending(path: "pledger")
    }()

    /// Runs `pledger` with `arguments` in the test's directory, with no PLEDGER_* variables but `environment`.
    func pledger(_ arguments: String..., environment: [String: String] = [:], stdin: String? = nil) throws -> Run {
        try pledger(arguments: arguments, environment: environment, stdin: stdin)
    }

    /// `pledger` with an argument array, the given stdin (empty when nil) and no PLEDGER_* variables
    /// but those given.
    func pledger(arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLEDGER_") }
            .merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data((stdin ?? "").utf8))
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("Record a pledge, book its payment, schedule a reminder, read the report")
    func threeJobs() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorded = try pledger(
            "pledge", "record", "--email", " Reader@Example.org", "--amount", "5.00", "--currency", "USD",
            "--cadence", "monthly", "--source", "article-footer", "--at", "2026-10-03T10:00:00Z", "--format", "json")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let pledge = try recorded.json()
        let id = try #require(pledge["id"] as? String)
        #expect(id.hasPrefix("pl_"))
        #expect(pledge["status"] as? String == "pending")
        #expect(pledge["email"] as? String == "reader@example.org")
        #expect(pledge["amount"] as? Int == 500)
        #expect(FileManager.default.fileExists(atPath: directory.appending(path: "pledger.sqlite").path))

        let paid = try pledger(
            "payment", "record", "--pledge", id, "--amount", "5.00", "--currency", "USD", "--external-id", "ch_e2e_1",
            "--fee", "0.45", "--processor", "stripe", "--at", "2026-10-03T10:01:00Z")
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(paid.stdout.contains("5.00 USD"))

        let shown = try pledger("pledge", "show", id, "--format", "json")
        #expect(try shown.json()["status"] as? String == "active")

        let reminder = try pledger(
            "reminder", "schedule", "--email", "later@example.org", "--in", "3d", "--at", "2026-10-04T09:00:00Z",
            "--format", "json")
        #expect(reminder.status == 0, "\(reminder.stderr)")
        #expect(try reminder.json()["due_at"] as? String == "2026-10-07T09:00:00Z")
        let due = try pledger("reminder", "due", "--at", "2026-10-07T09:00:00Z")
        #expect(due.stdout.contains("later@example.org"))

        let report = try pledger("report", "monthly", "--month", "2026-10", "--format", "json")
        #expect(report.status == 0, "\(report.stderr)")
        let body = try report.json()
        #expect(body["month"] as? String == "2026-10")
        #expect(body["time_zone"] as? String == "UTC")
        let usd = try #require((body["currencies"] as? [[String: Any]])?.first)
        let receipts = try #require(usd["receipts"] as? [String: Any])
        #expect(receipts["gross"] as? Int == 500)
        #expect(receipts["fees"] as? Int == 45)
        #expect(receipts["net"] as? Int == 455)
        #expect((usd["mrr"] as? [String: Any])?["end"] as? Int == 500)
        #expect((body["reminders"] as? [String: Any])?["scheduled"] as? Int == 1)

        let table = try pledger("report", "monthly", "--month", "2026-10")
        let net = table.stdout.split(separator: "\n").first { $0.hasPrefix("  net ") }
        // October beside September, which had nothing: net 4.55, previous 0.00, change +4.55, no percentage.
        #expect(net?.split(separator: " ") == ["net", "4.55", "0.00", "+4.55", "—"])
        let csv = try pledger("report", "monthly", "--month", "2026-10", "--format", "csv")
        #expect(
            csv.stdout.hasPrefix(
                "month,time_zone,currency,section,metric,value,unit,previous_value,change,change_pct\n"))
        #expect(csv.stdout.contains("2026-10,UTC,USD,receipts,net,4.55,USD,0.00,4.55,\n"))

        let verify = try pledger("verify")
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("Ledger OK"))
    }

    @Test("change-amount moves a pledge between monthly and annual, with or without a new amount; one_off is refused")
    func changeCadence() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorded = try pledger(
            "pledge", "record", "--email", "yearly@example.org", "--amount", "10.00", "--currency", "USD",
            "--cadence", "monthly", "--at", "2026-10-05T00:00:00Z", "--format", "json")
        let id = try #require(try recorded.json()["id"] as? String)
        let paid = try pledger(
            "payment", "record", "--pledge", id, "--amount", "10.00", "--currency", "USD", "--external-id",
            "ch_cadence_1", "--at", "2026-10-05T00:00:00Z")
        #expect(paid.status == 0, "\(paid.stderr)")
        let changed = try pledger(
            "pledge", "change-amount", id, "--amount", "100.00", "--cadence", "annual", "--at", "2026-11-05T00:00:00Z",
            "--format", "json")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(try changed.json()["cadence"] as? String == "annual")
        #expect(try changed.json()["amount"] as? Int == 10_000)
        let neither = try pledger("pledge", "change-amount", id)
        #expect(neither.status == 2)
        #expect(neither.stderr.contains("--cadence"))
        let oneOff = try pledger("pledge", "change-amount", id, "--cadence", "one_off")
        #expect(oneOff.status == 1)
        #expect(oneOff.stderr.contains("one-off"))
        let back = try pledger("pledge", "change-amount", id, "--cadence", "monthly", "--format", "json")
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try back.json()["cadence"] as? String == "monthly" && back.json()["amount"] as? Int == 10_000)

        // Paused until a time before the pause: refused naming --until, the option the user typed.
        let early = try pledger(
            "pledge", "pause", id, "--until", "2026-11-01T00:00:00Z", "--at", "2026-11-10T00:00:00Z")
        #expect(early.status != 0)
        #expect(early.stderr.hasPrefix("pledger: until:"), "\(early.stderr)")
        let paused = try pledger(
            "pledge", "pause", id, "--months", "2", "--at", "2026-11-10T00:00:00Z", "--format", "json")
        #expect(try paused.json()["status"] as? String == "paused")
        #expect(try paused.json()["resumes_at"] as? String == "2027-01-10T00:00:00Z")
        let resumed = try pledger("pledge", "resume", id, "--format", "json")
        #expect(try resumed.json()["status"] as? String == "active")
    }

    @Test("Bad input: one line naming the field, exit 2, nothing written")
    func badAmount() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try pledger(
            "pledge", "record", "--email", "a@example.org", "--amount", "5,00", "--currency", "USD", "--cadence",
            "monthly")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("pledger: amount:"))
        #expect(run.stderr.contains("'.'"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
        // Not even a ledger file: `pledge list`, which only reads, finds none (and creates none).
        let list = try pledger("pledge", "list", "--format", "json")
        #expect(list.status == 1)
        #expect(list.stderr.contains("no ledger at pledger.sqlite"))
    }

    @Test("A refused operation: exit 1 with the reason, nothing written")
    func refused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let unknown = try pledger(
            "payment", "record", "--pledge", "pl_nope", "--amount", "5.00", "--currency", "USD", "--external-id", "ch_1"
        )
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "pledger: no pledge with id pl_nope\n")

        for day in ["01", "02", "03", "04"] {
            let run = try pledger(
                "reminder", "schedule", "--email", "a@example.org", "--at", "2026-10-\(day)T09:00:00Z")
            #expect(run.status == 0, "\(run.stderr)")
        }
        let fifth = try pledger("reminder", "schedule", "--email", "a@example.org", "--at", "2026-10-05T09:00:00Z")
        #expect(fifth.status == 1)
        #expect(fifth.stderr.contains("deferred 3 times"))
        let list = try pledger("reminder", "list", "--format", "json")
        let reminders = try #require(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(reminders.count == 1)
        #expect(reminders.first?["deferrals"] as? Int == 3)
    }

    @Test("Bad usage: a missing option or unknown command exits 2 with help")
    func badUsage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try pledger("pledge", "record", "--email", "a@example.org")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--amount"))
        let unknown = try pledger("pledge", "frobnicate")
        #expect(unknown.status == 2)
        let month = try pledger("report", "monthly", "--month", "2026-13")
        #expect(month.status == 2)
        #expect(month.stderr == "pledger: month: \"2026-13\" is not a month; use YYYY-MM, e.g. 2026-10\n")
        let help = try pledger("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("demo"))
    }

    @Test("Sign a test event, push it through ingestion, and see the money in the report")
    func webhookRoundTrip() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let secrets = ["PLEDGER_STANDARD_WEBHOOK_SECRETS": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
        let pledge = try pledger(
            "pledge", "record", "--email", "gw@example.org", "--amount", "5.00", "--currency", "EUR", "--cadence",
            "monthly",
            "--at", "2026-10-14T00:00:00Z", "--format", "json")
        let id = try #require(try pledge.json()["id"] as? String)
        let body = """
            {"type": "pledge.payment_succeeded", "data": {"pledge_id": "\(id)", "payment_id": "gw_1", "amount": 500, "currency": "EUR", "fee": 20, "occurred_at": "2026-10-15T10:00:00Z"}}
            """
        let signed = try pledger(
            "webhook", "sign", "--scheme", "standard", "--secret", secrets.values.first!, "--id", "msg_e2e_1",
            stdin: body)
        #expect(signed.status == 0, "\(signed.stderr)")
        let headers = signed.stdout.split(separator: "\n").map(String.init)
        #expect(headers.count == 3)
        #expect(headers.first == "webhook-id: msg_e2e_1")
        func ingest() throws -> Run {
            try pledger(
                "webhook", "ingest", "--provider", "standard", "--header", headers[0], "--header", headers[1],
                "--header", headers[2],
                "--format", "json", environment: secrets, stdin: body)
        }
        let first = try ingest()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try first.json()["outcome"] as? String == "processed")
        #expect(try first.json()["event_id"] as? String == "msg_e2e_1")
        #expect(try ingest().json()["outcome"] as? String == "duplicate")

        let forged = try pledger(
            "webhook", "ingest", "--provider", "standard", "--header", headers[0], "--header", headers[1], "--header",
            headers[2],
            "--format", "json", environment: secrets, stdin: body.replacingOccurrences(of: "500", with: "50000"))
        #expect(forged.status == 1)
        #expect(try forged.json()["outcome"] as? String == "rejected")
        #expect(try forged.json()["error_code"] as? String == "no_matching_signature")
        #expect(!forged.stderr.contains("whsec_"))

        let report = try pledger("report", "monthly", "--month", "2026-10", "--format", "json")
        let eur = try #require((try report.json()["currencies"] as? [[String: Any]])?.first)
        #expect((eur["receipts"] as? [String: Any])?["gross"] as? Int == 500)
        #expect((eur["receipts"] as? [String: Any])?["net"] as? Int == 480)
        let list = try pledger("webhooks", "list", "--outcome", "processed")
        #expect(list.stdout.contains("msg_e2e_1"))
    }
}
