import Foundation
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

/// Every event type, produced by the use cases themselves, checked against its JSON Schema in
/// docs/events/ by the `jsonschema` package (PyPI), so the catalogue cannot drift from what is sent.
@Suite("Event schemas")
struct EventSchemaTests {
    /// python3 with jsonschema, or nil (then the schema check is skipped, saying so).
    static let python: URL? = {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appending(path: "python3") }
        guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            return nil
        }
        let probe = Process()
        probe.executableURL = python
        probe.arguments = ["-c", "import jsonschema"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? python : nil
    }()

    /// One of each type, through the same services the API and the webhooks call.
    static func everyEvent() async throws -> (TemporaryLedger, [OutboundEvent]) {
        let ledger = try TemporaryLedger(
            now: instant("2029-01-01T00:00:00Z"), config: try BoxTesting.withBox(GatewayWebhooks.config))
        let app = ledger.app
        let start = instant("2026-01-05T10:00:00Z")
        let annual = try await app.pledges.record(
            PledgeRequest(
                email: "annual@example.org", externalRef: "acct-1", amount: usd("60.00"), cadence: .annual,
                source: "article-footer", processor: "stripe", processorRef: "cs_1", at: start))
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: annual.id, amount: usd("60.00"), fee: usd("2.04"), processor: "stripe", externalID: "pi_1",
                at: start))
        _ = try await app.pledges.changeAmount(id: annual.id, amount: usd("72.00"), at: instant("2026-02-01T00:00:00Z"))
        // To monthly and back to annual: each announced with its `previous_cadence`. Dated on the
        // day it began, so its renewals (run from the last cadence change) still fall on 01-05.
        _ = try await app.pledges.changeTerms(
            id: annual.id, amount: usd("6.00"), cadence: .monthly, at: instant("2026-01-05T11:00:00Z"))
        _ = try await app.pledges.changeTerms(
            id: annual.id, amount: usd("72.00"), cadence: .annual, at: instant("2026-01-05T12:00:00Z"))
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .refund, paymentExternalID: "pi_1", amount: usd("10.00"), at: instant("2026-02-02T00:00:00Z")))
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .chargeback, paymentExternalID: "pi_1", amount: usd("50.00"), fee: usd("15.00"),
                at: instant("2026-02-03T00:00:00Z")))
        _ = try await app.payments.record(
            PaymentRequest(pledgeID: nil, amount: usd("3.00"), externalID: "gift_1", at: start))
        let pending = try await app.pledges.record(
            PledgeRequest(email: "maybe@example.org", amount: usd("5.00"), cadence: .monthly, at: start))
        _ = try await app.reminders.schedule(
            ReminderRequest(email: "later@example.org", campaign: "winter", when: .delay(.days(3)), at: start))
        _ = try await app.reminders.schedule(
            ReminderRequest(email: "later@example.org", campaign: "winter", when: .delay(.days(4)), at: start))
        _ = try await app.jobs.run(at: instant("2026-12-30T00:00:00Z"))
        let monthly = try await app.pledges.record(
            PledgeRequest(email: "monthly@example.org", amount: usd("5.00"), cadence: .monthly, at: start))
        _ = try await app.payments.record(
            PaymentRequest(pledgeID: monthly.id, amount: usd("5.00"), externalID: "pi_m", at: start))
        // The supporter's own page asks for a pause, a change and a cancellation.
        let page = try await SupporterPageTesting.open(app, email: "monthly@example.org")
        let token = page.token
        for kind: SupporterRequest.Kind in [
            .pause(months: 2), .change(amount: usd("7.00"), cadence: .annual),
            .cancel(reason: .tooExpensive, note: "money is tight"),
        ] {
            _ = try await app.supporters.request(token: token, csrf: page.csrf, pledgeID: monthly.id, kind)
        }
        // Paused for a month, asked from the page to resume early, resumed.
        _ = try await app.pledges.pause(id: monthly.id, length: .months(1), at: instant("2026-01-20T00:00:00Z"))
        _ = try await app.supporters.request(token: token, csrf: page.csrf, pledgeID: monthly.id, .resume)
        _ = try await app.pledges.resume(id: monthly.id, at: instant("2026-02-01T00:00:00Z"))
        #expect(
            try await GatewayWebhooks.paymentFailed(app, monthly.id, at: "2026-02-05T00:00:00Z").outcome == .processed)
        _ = try await app.pledges.cancel(id: monthly.id, at: instant("2026-03-01T00:00:00Z"))
        try await app.box.requestReminder(BoxTesting.remindLater(email: "box@example.org"))
        _ = try await app.operations.erase(email: "later@example.org")
        #expect(try await app.pledges.pledge(id: pending.id).status == .expired)
        return (ledger, try await app.events.list(limit: 1000))
    }

    @Test("The use cases produce every type in the catalogue, and each type has its schema file")
    func everyTypeOccurs() async throws {
        let (_, events) = try await Self.everyEvent()
        #expect(Set(events.map(\.type)) == Set(OutboundEventType.allCases))
        for type in OutboundEventType.allCases {
            let schema = fixturesDirectory().deletingLastPathComponent().appending(
                path: "docs/events/\(type.rawValue).schema.json")
            #expect(FileManager.default.fileExists(atPath: schema.path), "no schema for \(type.rawValue)")
        }
    }

    @Test(
        "Each event matches its type's JSON Schema",
        .enabled(if: python != nil, "needs python3 with jsonschema (pip install jsonschema); .ci/run installs it"))
    func bodiesMatchSchemas() async throws {
        let (ledger, events) = try await Self.everyEvent()
        let python = try #require(Self.python)
        let file = ledger.directory.appending(path: "events.json")
        try Data(("[" + events.map(\.body).joined(separator: ",") + "]").utf8).write(to: file)
        let script = fixturesDirectory().deletingLastPathComponent().appending(path: "scripts/validate-events.py")
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(events.count) events checked, 0 mismatches"))
    }
}
