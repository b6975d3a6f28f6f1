import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerStoreInterface
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// Helpers shared by the delivery suites: a ledger on a settable clock that allows loopback
/// endpoints, events made through the use cases, and a real sender over AsyncHTTPClient.
enum DeliveryFixture {
    static let start = instant("2026-11-20T12:00:00Z")

    static func ledger(
        timeout: Duration = .seconds(10), retries: RetrySchedule = .standard, allowInsecure: Bool = true
    ) throws -> (TemporaryLedger, SettableClock) {
        let clock = SettableClock(start)
        var config = PledgerConfig()
        config.delivery.addresses.allowInsecure = allowInsecure
        config.delivery.timeout = timeout
        config.delivery.retries = retries
        return (try TemporaryLedger(clock: clock.clock, config: config), clock)
    }

    /// `count` reminders scheduled: one `reminder.scheduled` event each. Returns their event ids.
    @discardableResult
    static func events(_ app: Pledger, _ count: Int, from first: Int = 0) async throws -> [String] {
        var ids: [String] = []
        for n in first..<first + count {
            _ = try await app.reminders.schedule(ReminderRequest(email: "reader\(n)@example.org"))
            let latest = try await app.deliveriesTestLatestEvent()
            ids.append(latest.id.rawValue)
        }
        return ids
    }

    /// Runs `body` with a real HTTP sender, shut down afterwards.
    static func withSender<T: Sendable>(
        _ app: Pledger, _ body: (HTTPWebhookSender) async throws -> T
    ) async throws -> T {
        let sender = app.deliveries.makeHTTPSender()
        do {
            let result = try await body(sender)
            try await sender.shutdown()
            return result
        } catch {
            try? await sender.shutdown()
            throw error
        }
    }

    static func deliver(_ app: Pledger) async throws -> DeliveryPassSummary {
        try await withSender(app) { try await app.deliveries.deliverDue(sender: $0) }
    }
}

extension Pledger {
    /// The newest event in the outbox.
    func deliveriesTestLatestEvent() async throws -> OutboundEvent {
        let store = self.store
        return try await store.snapshot { session in
            let latest = try session.latestEventSequence()
            return try session.events(type: nil, since: nil, afterSequence: latest - 1, limit: 1)[0]
        }
    }
}

@Suite("Deliveries to a loopback receiver")
struct DeliveryTests {
    typealias F = DeliveryFixture

    @Test("Matching events from now on are POSTed in order, signed, verified by our own verifier, once")
    func endToEnd() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        try await F.events(app, 1)  // before the endpoint: history is not sent
        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/a", events: "reminder.*"))
            #expect(added.secret.hasPrefix("whsec_"))
            #expect(Base64.decode(added.secret.dropFirst(6))?.count == 32)
            receiver.expectSecrets([added.secret], path: "/a")
            let ids = try await F.events(app, 3, from: 1)
            _ = try await app.pledges.record(
                PledgeRequest(email: "p@example.org", amount: usd("10.00"), cadence: .monthly))

            let summary = try await F.deliver(app)
            #expect(summary.delivered == 3)
            let received = receiver.received(path: "/a")
            #expect(received.map(\.id) == ids)
            #expect(received.allSatisfy { $0.verified == true })
            #expect(received.allSatisfy { $0.contentType == "application/json" })
            #expect(received.allSatisfy { $0.timestamp == String(Int(F.start.timeIntervalSince1970)) })
            let store = ledger.store
            let lastID = ID<OutboundEvent>(ids[2])
            let stored = try await store.snapshot { try $0.event(id: lastID) }
            #expect(received.last?.bodyText == stored?.body)

            let listed = try await app.deliveries.list(endpoint: added.endpoint.id)
            #expect(listed.count == 3)
            #expect(listed.allSatisfy { $0.status == .delivered && $0.attempts == 1 && $0.lastStatus == 200 })
            #expect(listed.allSatisfy { $0.id.rawValue.hasPrefix("dlv_") })

            // Nothing is sent twice.
            #expect(try await F.deliver(app).delivered == 0)
            #expect(receiver.received().count == 3)
            #expect(try await app.deliveries.oldestUndeliveredAge() == 0)
        }
    }

    @Test("A failing delivery walks the whole schedule on a fixed clock, then fails; the endpoint moves on")
    func retrySchedule() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { _, _, _ in 500 }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/down", events: "*"))
            receiver.expectSecrets([added.secret], path: "/down")
            let ids = try await F.events(app, 1)
            var failedAt = clock.now
            for attempt in 1...8 {
                let summary = try await F.deliver(app)
                #expect(receiver.received().count == attempt)
                let delivery = try #require(try await app.deliveries.list().first)
                #expect(delivery.attempts == attempt)
                #expect(delivery.lastStatus == 500)
                #expect(delivery.lastAttemptAt == failedAt)
                if attempt < 8 {
                    #expect(summary.retrying == 1)
                    let delay = TimeInterval(RetrySchedule.standard.delays[attempt - 1])
                    #expect(delivery.status == .pending)
                    #expect(delivery.nextAttemptAt == failedAt.addingTimeInterval(delay))
                    // Not due yet: a pass a second early sends nothing.
                    clock.set(failedAt.addingTimeInterval(delay - 1))
                    _ = try await F.deliver(app)
                    #expect(receiver.received().count == attempt)
                    clock.set(failedAt.addingTimeInterval(delay))
                    failedAt = clock.now
                } else {
                    #expect(summary.failed == 1)
                    #expect(delivery.status == .failed)
                    #expect(delivery.nextAttemptAt == nil)
                }
            }
            #expect(receiver.received().allSatisfy { $0.id == ids[0] && $0.verified == true })
            // 5 s + 5 min + 30 min + 2 h + 5 h + 10 h + 10 h after the first attempt.
            #expect(failedAt.timeIntervalSince(F.start) == 5 + 300 + 1800 + 7200 + 18_000 + 36_000 + 36_000)

            // Failed for good, it no longer holds back the next event.
            let next = try await F.events(app, 1, from: 1)
            _ = try await F.deliver(app)
            #expect(receiver.received().last?.id == next[0])

            // `deliveries retry` puts it back, due now.
            let failed = try await app.deliveries.list(status: .failed)
            #expect(failed.count == 1)
            let retried = try await app.deliveries.retry(failed[0].id)
            #expect(retried.status == .pending)
            #expect(retried.nextAttemptAt == clock.now)
            let before = receiver.received().count
            _ = try await F.deliver(app)
            #expect(receiver.received().count == before + 1)
            #expect(receiver.received().last?.id == ids[0])
        }
    }

    @Test("410 Gone fails the delivery and disables the endpoint")
    func goneDisables() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { _, _, _ in 410 }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/gone", events: "*"))
            try await F.events(app, 2)
            let summary = try await F.deliver(app)
            #expect(summary.failed == 1)
            #expect(summary.endpointsDisabled == 1)
            #expect(receiver.received().count == 1)
            let endpoint = try await app.endpoints.get(added.endpoint.id)
            #expect(endpoint.status == .disabled)
            #expect(endpoint.disabledReason?.contains("410") == true)
            #expect(try await app.deliveries.list().map(\.status) == [.failed])
            clock.advance(by: 3600)
            _ = try await F.deliver(app)
            #expect(receiver.received().count == 1)
        }
    }

    @Test("A disabled endpoint gets nothing; enabled again, it resumes where it stopped, in order")
    func disableThenEnable() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/a", events: "*"))
            let first = try await F.events(app, 1)
            _ = try await F.deliver(app)
            _ = try await app.endpoints.disable(added.endpoint.id)
            let missed = try await F.events(app, 2, from: 1)
            _ = try await F.deliver(app)
            #expect(receiver.received().map(\.id) == first)
            #expect(try await app.endpoints.get(added.endpoint.id).disabledReason == "disabled by hand")
            _ = try await app.endpoints.enable(added.endpoint.id)
            _ = try await F.deliver(app)
            #expect(receiver.received().map(\.id) == first + missed)
        }
    }

    @Test("An endpoint failing for 5 days in a row is disabled")
    func failingFiveDays() async throws {
        let day: TimeInterval = 86_400
        let (ledger, clock) = try F.ledger(retries: RetrySchedule(delays: [2 * 86_400, 2 * 86_400, 2 * 86_400]))
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { _, _, _ in 503 }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { _, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/down", events: "*"))
            try await F.events(app, 1)
            for _ in 0..<3 {
                _ = try await F.deliver(app)
                #expect(try await app.endpoints.get(added.endpoint.id).status == .enabled)
                clock.advance(by: 2 * day)
            }
            let summary = try await F.deliver(app)  // 6 days after the first failure
            #expect(summary.endpointsDisabled == 1)
            let endpoint = try await app.endpoints.get(added.endpoint.id)
            #expect(endpoint.status == .disabled)
            #expect(endpoint.failingSince == F.start)
            #expect(endpoint.disabledReason?.contains("5 days") == true)
        }
    }

    @Test("A pending retry holds back that endpoint's later events only; order is kept")
    func perEndpointOrder() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { _, path, n in path == "/a" && n == 1 ? 503 : 200 }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            let a = try await app.endpoints.add(EndpointRequest(url: base + "/a", events: "*"))
            let b = try await app.endpoints.add(EndpointRequest(url: base + "/b", events: "*"))
            receiver.expectSecrets([a.secret], path: "/a")
            receiver.expectSecrets([b.secret], path: "/b")
            let ids = try await F.events(app, 3)
            _ = try await F.deliver(app)
            #expect(receiver.received(path: "/b").map(\.id) == ids)
            #expect(receiver.received(path: "/a").map(\.id) == [ids[0]])
            clock.advance(by: 5)
            _ = try await F.deliver(app)
            #expect(receiver.received(path: "/a").map(\.id) == [ids[0], ids[0], ids[1], ids[2]])
            #expect(receiver.received().allSatisfy { $0.verified == true })
        }
    }

    @Test("A slow endpoint does not hold back another: it answers only after the other got everything")
    func slowEndpoint() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { receiver, path, _ in
            if path == "/slow" { await receiver.waitFor(count: 3, path: "/fast") }
            return 200
        }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            _ = try await app.endpoints.add(EndpointRequest(url: base + "/slow", events: "*"))
            _ = try await app.endpoints.add(EndpointRequest(url: base + "/fast", events: "*"))
            try await F.events(app, 3)
            let summary = try await F.deliver(app)
            // Had /slow been served first, its first answer would have waited for ever (10 s timeout).
            #expect(summary.delivered == 6)
            #expect(summary.retrying == 0)
            #expect(receiver.received(path: "/fast").count == 3)
        }
    }

    @Test("A delivery with no answer within the timeout is retried; the other endpoint is served meanwhile")
    func timeout() async throws {
        // Long enough for the answering endpoint on a loaded machine; the hanging one waits it out.
        let (ledger, clock) = try F.ledger(timeout: .seconds(3))
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { receiver, path, _ in
            if path == "/hang" { await receiver.waitForGate("release") }
            return 200
        }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            let hang = try await app.endpoints.add(EndpointRequest(url: base + "/hang", events: "*"))
            _ = try await app.endpoints.add(EndpointRequest(url: base + "/ok", events: "*"))
            try await F.events(app, 2)
            let summary = try await F.deliver(app)
            receiver.openGate("release")
            #expect(summary.delivered == 2)
            #expect(summary.retrying == 1)
            let pending = try #require(try await app.deliveries.list(endpoint: hang.endpoint.id).first)
            #expect(pending.status == .pending)
            #expect(pending.lastStatus == nil)
            #expect(pending.lastError?.contains("no answer within") == true)
            #expect(pending.nextAttemptAt == F.start.addingTimeInterval(5))
        }
    }

    @Test("Redirects are not followed: a 302 is a failed attempt")
    func redirectNotFollowed() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { _, path, _ in path == "/moved" ? 302 : 200 }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            _ = try await app.endpoints.add(EndpointRequest(url: base + "/moved", events: "*"))
            try await F.events(app, 1)
            _ = try await F.deliver(app)
            #expect(receiver.received(path: "/redirected").isEmpty)
            #expect(receiver.received().count == 1)
            let delivery = try #require(try await app.deliveries.list().first)
            #expect(delivery.status == .pending)
            #expect(delivery.lastStatus == 302)
        }
    }

    @Test("At most 64 KB of an answer is read: an endless answer still delivers")
    func boundedRead() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            receiver.answerEndlessly(path: "/endless")
            _ = try await app.endpoints.add(EndpointRequest(url: base + "/endless", events: "*"))
            try await F.events(app, 2)
            let summary = try await F.deliver(app)
            // Reading it all would have ended only at the 10 s timeout, as a failed attempt.
            #expect(summary.delivered == 2)
            #expect(summary.retrying == 0)
        }
    }

    @Test("After a rotation both signatures verify for 24 hours, then only the new one is sent")
    func rotation() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            let added = try await app.endpoints.add(EndpointRequest(url: base + "/a", events: "*"))
            try await F.events(app, 1)
            _ = try await F.deliver(app)
            #expect(receiver.received()[0].signatures.count == 1)

            let rotated = try await app.endpoints.rotateSecret(added.endpoint.id)
            #expect(rotated.secret != added.secret)
            #expect(rotated.endpoint.previousSecretExpiresAt == F.start.addingTimeInterval(24 * 3600))
            clock.advance(by: 23 * 3600)
            try await F.events(app, 1, from: 1)
            _ = try await F.deliver(app)
            let during = receiver.received()[1]
            #expect(during.signatures.count == 2)
            for secret in [rotated.secret, added.secret] {
                let scheme = try StandardWebhooksScheme(secrets: [secret])
                // Each secret alone verifies the header: one of the two entries is its signature.
                _ = try scheme.verify(
                    id: during.id, timestamp: during.timestamp, signature: during.signature, body: during.body,
                    now: clock.now)
            }
            let newFirst = try StandardWebhooksScheme.sign(
                id: during.id!, timestamp: Int64(during.timestamp!)!, body: during.body, secret: rotated.secret)
            #expect(during.signatures.first == newFirst)

            clock.advance(by: 3600)
            try await F.events(app, 1, from: 2)
            _ = try await F.deliver(app)
            let after = receiver.received()[2]
            #expect(after.signatures.count == 1)
            _ = try StandardWebhooksScheme(secrets: [rotated.secret]).verify(
                id: after.id, timestamp: after.timestamp, signature: after.signature, body: after.body, now: clock.now)
            #expect(throws: SignatureError.self) {
                try StandardWebhooksScheme(secrets: [added.secret]).verify(
                    id: after.id, timestamp: after.timestamp, signature: after.signature, body: after.body,
                    now: clock.now)
            }
        }
    }

    @Test("A delivered reminder.due marks its reminder sent, in the transaction that records the delivery")
    func reminderMarkedSent() async throws {
        let (ledger, clock) = try F.ledger()
        let app = ledger.app
        let responder: LoopbackReceiver.Responder = { _, path, _ in path == "/down" ? 500 : 200 }
        try await LoopbackReceiver.run(clock: clock.clock, responder: responder) { receiver, base in
            // An endpoint that is not subscribed to reminder.due, and one that fails, mark nothing.
            _ = try await app.endpoints.add(
                EndpointRequest(url: base + "/other", events: "pledge.*,reminder.scheduled"))
            let down = try await app.endpoints.add(EndpointRequest(url: base + "/down", events: "reminder.due"))
            let scheduled = try await app.reminders.schedule(ReminderRequest(email: "later@example.org"))
            let reminder = scheduled.reminder
            let store = ledger.store
            _ = try await store.transaction { try $0.appendEvent(.reminderDue(reminder), recordedAt: clock.now) }
            _ = try await F.deliver(app)
            #expect(try await app.reminders.list().first?.status == .open)

            _ = try await app.endpoints.add(EndpointRequest(url: base + "/mailer", events: "reminder.due"))
            _ = try await app.endpoints.disable(down.endpoint.id)
            let again = try await app.reminders.schedule(ReminderRequest(email: "other@example.org"))
            _ = try await store.transaction { try $0.appendEvent(.reminderDue(again.reminder), recordedAt: clock.now) }
            _ = try await F.deliver(app)
            #expect(receiver.received(path: "/mailer").count == 1)
            let sent = try #require(try await app.reminders.list().first { $0.id == again.reminder.id })
            #expect(sent.status == .sent)
            #expect(sent.sentAt == clock.now)
        }
    }

    @Test("A host that resolves to a refused address is not contacted at delivery time")
    func resolvedAddressRefused() async throws {
        let (ledger, clock) = try F.ledger()
        try await LoopbackReceiver.run(clock: clock.clock) { receiver, base in
            let port = base.split(separator: ":").last!
            _ = try await ledger.app.endpoints.add(EndpointRequest(url: "http://localhost:\(port)/a", events: "*"))
            try await F.events(ledger.app, 1)
            // The same ledger served by a deliverer that allows no loopback.
            var strict = PledgerConfig()
            strict.delivery.addresses = EndpointAddressPolicy()
            let deliverer = Pledger(store: ledger.store, clock: clock.clock, config: strict)
            _ = try await F.deliver(deliverer)
            #expect(receiver.received().isEmpty)
            let delivery = try #require(try await deliverer.deliveries.list().first)
            #expect(delivery.status == .pending)
            #expect(delivery.lastError?.hasPrefix("refused:") == true)
            // Allowed again, it goes.
            clock.advance(by: 5)
            _ = try await F.deliver(ledger.app)
            #expect(receiver.received().count == 1)
        }
    }
}

@Suite("Endpoints")
struct EndpointServiceTests {
    typealias F = DeliveryFixture

    @Test("Insecure and private URLs are refused with an error naming the url field; nothing is stored")
    func refusedURLs() async throws {
        let (ledger, _) = try F.ledger(allowInsecure: false)
        let app = ledger.app
        for url in ["http://127.0.0.1:9/h", "https://10.0.0.1/h", "https://[fe80::1]/h", "https://localhost/h"] {
            do {
                _ = try await app.endpoints.add(EndpointRequest(url: url, events: "*"))
                Issue.record("accepted \(url)")
            } catch let error as PledgerError {
                #expect(error.field == "url", "\(url)")
                #expect(error.kind == .invalid)
            }
        }
        do {
            _ = try await app.endpoints.add(EndpointRequest(url: "https://hooks.example.org/", events: "pledge.*,nope"))
            Issue.record("accepted a bad filter")
        } catch let error as PledgerError {
            #expect(error.field == "events")
        }
        #expect(try await app.endpoints.list().isEmpty)
    }

    @Test("Secrets never appear in listings, views or descriptions")
    func secretsHidden() async throws {
        let (ledger, _) = try F.ledger()
        let app = ledger.app
        let added = try await app.endpoints.add(
            EndpointRequest(url: "https://hooks.example.org/p", events: "pledge.*", description: "Mailer"))
        let rotated = try await app.endpoints.rotateSecret(added.endpoint.id)
        let listed = try await app.endpoints.list()
        let rendered = Views.json(listed.map { Views.endpoint($0) }) + "\(listed)"
        let store = ledger.store
        let targets = try await store.snapshot { try $0.deliveryTargets() }
        for secret in [added.secret, rotated.secret] {
            #expect(!rendered.contains(secret))
            #expect(!"\(targets)".contains(secret))
            #expect(!rendered.contains(String(secret.dropFirst(6))))
        }
        #expect(rendered.contains("hooks.example.org"))
    }

    @Test("Disable, enable and remove; a removed endpoint is gone from the list and forgets its secret")
    func lifecycle() async throws {
        let (ledger, _) = try F.ledger()
        let app = ledger.app
        let added = try await app.endpoints.add(EndpointRequest(url: "https://hooks.example.org/p", events: "*"))
        #expect(try await app.endpoints.disable(added.endpoint.id).status == .disabled)
        #expect(try await app.endpoints.enable(added.endpoint.id).status == .enabled)
        #expect(try await app.endpoints.remove(added.endpoint.id).status == .removed)
        #expect(try await app.endpoints.list().isEmpty)
        #expect(try await app.endpoints.list(includeRemoved: true).count == 1)
        await #expect(throws: PledgerError.self) { try await app.endpoints.enable(added.endpoint.id) }
        await #expect(throws: PledgerError.self) { try await app.endpoints.disable("ep_nothing") }
        let store = ledger.store
        #expect(try await store.snapshot { try $0.deliveryTarget(id: added.endpoint.id)?.secret } == "")
    }
}
