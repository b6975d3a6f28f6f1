import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// The reader's box through its use cases: Continue makes one pending pledge that the processor's
/// checkout later completes, "remind me later" waits for the reader's confirmation, and whatever
/// is refused writes nothing.
@Suite("Reader's box")
struct BoxServiceTests {
    static let start = instant("2026-11-20T12:00:00Z")
    static let stripeSecret = "whsec_box_test"

    let clock = SettableClock(Self.start)
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(stripeSecrets: [Self.stripeSecret])
        ledger = try TemporaryLedger(clock: clock.clock, config: try BoxTesting.withBox(config))
    }

    func counts() async throws -> [String: Int] {
        try await ledger.store.read { try $0.rowCounts() }
    }

    /// A Stripe `checkout.session.completed` for a one-off paid at once, naming the pledge as a
    /// Payment Link's `client_reference_id` does.
    func checkoutCompleted(pledge: ID<Pledge>, email: String, amount: Int64, eventID: String) async throws
        -> WebhookResult
    {
        let body = Array(
            """
            {"id":"\(eventID)","object":"event","type":"checkout.session.completed",
             "created":\(Int(Self.start.timeIntervalSince1970)),
             "data":{"object":{"id":"cs_\(eventID)","object":"checkout.session","mode":"payment",
              "client_reference_id":"\(pledge.rawValue)","metadata":{},"payment_status":"paid",
              "payment_intent":"pi_\(eventID)","amount_total":\(amount),"currency":"usd",
              "customer_details":{"email":"\(email)"}}}}
            """.utf8)
        let signature = StripeSignatureScheme.sign(
            body: body, secret: Self.stripeSecret, timestamp: Int64(clock.now.timeIntervalSince1970))
        return try await app.webhooks.ingest(
            WebhookDelivery(provider: .stripe, headers: [("Stripe-Signature", signature)], body: body))
    }

    @Test("Continue without an e-mail: one pending pledge with its attribution; the checkout completes it")
    func checkoutThenProcessor() async throws {
        let result = try await app.box.checkout(BoxTesting.checkout(cadence: "one_off", amount: 2500))
        #expect(result.checkoutURL.hasPrefix("https://buy.example.org/pay?ref=\(result.pledgeID.rawValue)&a=2500"))
        let pledge = try await app.pledges.pledge(id: result.pledgeID)
        #expect(pledge.status == .pending)
        #expect(pledge.source == "box")
        #expect(pledge.email == nil)
        let attribution = try await ledger.store.read { try $0.attribution(pledgeID: result.pledgeID) }
        #expect(attribution?.pagePath == "/news/story")
        #expect(attribution?.referrerHost == "news.example.com")
        #expect(attribution?.campaign == "winter")
        #expect(attribution?.utm == ["utm_source": "newsletter", "utm_medium": "email"])
        #expect(try await app.events.list(type: .pledgeCreated).count == 1)

        let before = try await counts()
        let outcome = try await checkoutCompleted(
            pledge: result.pledgeID, email: "Reader@Example.org", amount: 2500, eventID: "evt_box1")
        #expect(outcome.outcome == .processed)
        let after = try await counts()
        #expect(after["supporters"] == before["supporters"])
        #expect(after["pledges"] == before["pledges"])
        #expect(after["payments"] == (before["payments"] ?? 0) + 1)
        let paid = try await app.pledges.pledge(id: result.pledgeID)
        #expect(paid.status == .completed)
        #expect(paid.email == "reader@example.org")
    }

    @Test("A checkout e-mail already known to another supporter is not moved onto the box's supporter")
    func payerEmailTaken() async throws {
        let known = try await app.pledges.record(
            PledgeRequest(email: "known@example.org", amount: usd("5.00"), cadence: .monthly))
        let result = try await app.box.checkout(BoxTesting.checkout(cadence: "one_off", amount: 1000))
        #expect(
            try await checkoutCompleted(
                pledge: result.pledgeID, email: "known@example.org", amount: 1000, eventID: "e2"
            )
            .outcome == .processed)
        let pledge = try await app.pledges.pledge(id: result.pledgeID)
        #expect(pledge.status == .completed)
        #expect(pledge.email == nil)
        #expect(pledge.supporterID != known.supporterID)
    }

    @Test("Continue with an e-mail finds the supporter; their open reminder converts only when the pledge is paid")
    func checkoutWithEmail() async throws {
        let reminder = try await app.reminders.schedule(ReminderRequest(email: "fan@example.org", campaign: "winter"))
        let result = try await app.box.checkout(BoxTesting.checkout(email: "Fan@Example.org"))
        #expect(result.checkoutURL.hasSuffix("&e=fan%40example.org"))
        let pledge = try await app.pledges.pledge(id: result.pledgeID)
        #expect(pledge.supporterID == reminder.reminder.supporterID)
        // Anyone can type another's address into the box: until money comes, their reminder stands.
        #expect(try await app.reminders.list(email: "fan@example.org").first?.status == .open)
        #expect(
            try await checkoutCompleted(pledge: result.pledgeID, email: "fan@example.org", amount: 500, eventID: "e3")
                .outcome == .processed)
        let converted = try await app.reminders.list(email: "fan@example.org")
        #expect(converted.first?.status == .converted)
        #expect(converted.first?.convertedPledgeID == result.pledgeID)
    }

    @Test(
        "A refused checkout names the field and writes nothing",
        arguments: [
            (BoxTesting.checkout(amount: 100), "amount"),
            (BoxTesting.checkout(currency: "GBP"), "currency"),
            (BoxTesting.checkout(cadence: "weekly"), "cadence"),
            (BoxTesting.checkout(amount: 505_000_000_000), "amount"),
            (BoxTesting.checkout(email: "not-an-email"), "email"),
            (BoxTesting.checkout(page: "/news/story"), "page_url"),
            (BoxTesting.checkout(campaign: String(repeating: "c", count: 101)), "campaign"),
        ])
    func refusedCheckout(request: BoxCheckoutRequest, field: String) async throws {
        let before = try await counts()
        let error = await #expect(throws: PledgerError.self) { try await app.box.checkout(request) }
        #expect(error?.field == field)
        #expect(try await counts() == before)
    }

    @Test("A filled honeypot looks answered and writes nothing")
    func honeypot() async throws {
        let before = try await counts()
        let decoy = try await app.box.checkout(BoxTesting.checkout(website: "http://spam.example"))
        try await app.box.requestReminder(BoxTesting.remindLater(email: "bot@example.org", website: "x"))
        #expect(decoy.pledgeID.rawValue.hasPrefix("pl_"))
        #expect(try await counts() == before)
    }

    @Test("Remind me later waits for confirmation; the link confirms once; then it is an open reminder")
    func doubleOptIn() async throws {
        try await app.box.requestReminder(BoxTesting.remindLater(email: "Later@Example.org"))
        #expect(try await app.reminders.list(email: "later@example.org").isEmpty)
        let events = try await app.events.list(type: .reminderConfirmationRequested)
        let confirmation = try #require(try events.first?.decodedData().confirmation)
        #expect(confirmation.email == "later@example.org")
        #expect(confirmation.confirmUrl.hasPrefix("https://pledger.example.org/r/confirm?token="))
        #expect(confirmation.expiresAt == "2026-11-27T12:00:00Z")
        let token = try #require(try await BoxTesting.latestConfirmToken(app))

        clock.set(instant("2026-11-21T08:00:00Z"))
        guard case .confirmed(let reminderID) = try await app.box.confirm(token: token) else {
            Issue.record("the link did not confirm")
            return
        }
        let reminder = try #require(try await app.reminders.list(email: "later@example.org").first)
        #expect(reminder.id == reminderID)
        #expect(reminder.status == .open)
        #expect(reminder.campaign == "winter")
        #expect(try await ledger.store.read { try $0.attribution(reminderID: reminderID) }?.pagePath == "/news/story")
        let eventCount = try await app.events.list(limit: 1000).count
        #expect(try await app.box.confirm(token: token) == .confirmed(reminderID))
        #expect(try await app.events.list(limit: 1000).count == eventCount)
        #expect(try await app.reminders.list(email: "later@example.org").count == 1)
        // Once confirmed, the request's event keeps no e-mail: the reminder holds it, and erasure finds it there.
        let scrubbed = try #require(try await app.events.list(type: .reminderConfirmationRequested).first)
        #expect(try scrubbed.decodedData().confirmation?.email == nil)
    }

    @Test("A tampered or expired link changes nothing; the jobs delete the request and erase its e-mail")
    func expiryAndTampering() async throws {
        try await app.box.requestReminder(BoxTesting.remindLater(email: "slow@example.org"))
        let token = try #require(try await BoxTesting.latestConfirmToken(app))
        let tampered = BoxTesting.tamper(token)
        #expect(try await app.box.confirm(token: tampered) == .invalid(.badSignature))
        #expect(try await app.box.confirm(token: nil) == .invalid(.malformed))

        clock.set(instant("2026-11-27T12:00:00Z"))
        #expect(try await app.box.confirm(token: token) == .invalid(.expired))
        #expect(try await app.reminders.list(email: "slow@example.org").isEmpty)
        let run = try await app.jobs.run()
        #expect(run.reminderRequestsPurged == 1)
        #expect(try await counts()["reminder_requests"] == 0)
        let event = try #require(try await app.events.list(type: .reminderConfirmationRequested).first)
        #expect(try event.decodedData().confirmation?.email == nil)
        #expect(!event.body.contains("slow@example.org"))
        #expect(try await app.jobs.run().reminderRequestsPurged == 0)
    }

    @Test("Known and unknown e-mails get the same treatment; the fourth request in an hour is limited")
    func sameAnswerAndLimit() async throws {
        _ = try await app.pledges.record(
            PledgeRequest(email: "known@example.org", amount: usd("5.00"), cadence: .monthly))
        try await app.box.requestReminder(BoxTesting.remindLater(email: "known@example.org"))
        try await app.box.requestReminder(BoxTesting.remindLater(email: "stranger@example.org"))
        #expect(try await counts()["reminder_requests"] == 2)
        try await app.box.requestReminder(BoxTesting.remindLater(email: "known@example.org"))
        try await app.box.requestReminder(BoxTesting.remindLater(email: "known@example.org"))
        let refusal = await #expect(throws: BoxRefusal.self) {
            try await app.box.requestReminder(BoxTesting.remindLater(email: "KNOWN@example.org"))
        }
        guard case .rateLimited(let wait) = refusal else {
            Issue.record("expected a rate limit, got \(String(describing: refusal))")
            return
        }
        #expect(wait == 3600)
        #expect(try await counts()["reminder_requests"] == 4)
    }

    @Test("Erasing a supporter deletes their unconfirmed box requests too")
    func erasure() async throws {
        _ = try await app.pledges.record(
            PledgeRequest(email: "gone@example.org", amount: usd("5.00"), cadence: .monthly))
        try await app.box.requestReminder(BoxTesting.remindLater(email: "gone@example.org"))
        _ = try await app.operations.erase(email: "gone@example.org")
        #expect(try await counts()["reminder_requests"] == 0)
        let bodies = try await app.events.list(limit: 1000).map(\.body)
        #expect(!bodies.contains { $0.contains("gone@example.org") })
    }

    @Test("Keys: a key works from its origins and this server's own, not from others, not once revoked")
    func keysAndOrigins() async throws {
        let key = try await app.box.createKey(origins: [BoxTesting.origin], label: "site")
        #expect(try await app.box.authorize(key: key.key, origin: BoxTesting.origin, originRequired: true) == key)
        _ = try await app.box.authorize(key: key.key, origin: BoxTesting.publicURL, originRequired: true)
        _ = try await app.box.authorize(key: key.key, origin: nil, originRequired: false)
        await #expect(throws: BoxRefusal.originNotAllowed("https://evil.example")) {
            try await app.box.authorize(key: key.key, origin: "https://evil.example", originRequired: true)
        }
        await #expect(throws: BoxRefusal.originNotAllowed("a request without Origin")) {
            try await app.box.authorize(key: key.key, origin: nil, originRequired: true)
        }
        await #expect(throws: BoxRefusal.unknownKey) {
            try await app.box.authorize(key: "pk_000000000000", origin: BoxTesting.origin, originRequired: true)
        }
        #expect(try await app.box.isAllowedOrigin(BoxTesting.origin))
        #expect(try await !app.box.isAllowedOrigin("https://evil.example"))
        try await app.box.revokeKey(key.key)
        await #expect(throws: BoxRefusal.unknownKey) {
            try await app.box.authorize(key: key.key, origin: BoxTesting.origin, originRequired: true)
        }
        #expect(try await !app.box.isAllowedOrigin(BoxTesting.origin))
        let again = await #expect(throws: PledgerError.self) { try await app.box.revokeKey(key.key) }
        #expect(again?.code == "key_revoked")
    }

    @Test("Without a box configuration every public call answers not configured")
    func notConfigured() async throws {
        let bare = try TemporaryLedger(now: Self.start)
        await #expect(throws: BoxRefusal.notConfigured) { try await bare.app.box.checkout(BoxTesting.checkout()) }
        #expect(throws: BoxRefusal.notConfigured) { try bare.app.box.view(lang: "en") }
    }

    @Test("The page's view: presets in minor units, minimums from the policy, copy in the page's language")
    func view() throws {
        let view = try app.box.view(lang: "ru")
        #expect(view.lang == "ru")
        #expect(view.defaultCadence == "monthly")
        #expect(view.presets["monthly"]?["USD"] == [500, 1000])
        #expect(view.minimums == ["USD": 200, "EUR": 200])
        #expect(view.copy["continue"] == "Продолжить")
        #expect(view.copy.count == BoxCopy.Key.allCases.count)
    }

    @Test("The box configuration file in Fixtures/ loads; a wrong one names the key")
    func configurationFile() throws {
        let path = fixturesDirectory().appending(path: "box/box.toml").path
        let box = try BoxConfigurationFile.load(path: path, config: PledgerConfig())
        #expect(box.currencies.map(\.code) == ["USD", "EUR"])
        #expect(box.methods.count == 3)
        let directory = FileManager.default.temporaryDirectory.appending(path: "box-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (broken, field) in [
            (text.replacingOccurrences(of: "USD = [500, 1000, 2000]", with: "USD = [50, 1000]"), "presets.monthly.USD"),
            (
                text.replacingOccurrences(of: "default_cadence = \"monthly\"", with: "default_cadence = 3"),
                "default_cadence"
            ),
            (text.replacingOccurrences(of: "[limits]", with: "[limits]\nper_ip_brust = 5"), "limits.per_ip_brust"),
        ] {
            let file = directory.appending(path: "box.toml")
            try broken.write(to: file, atomically: true, encoding: .utf8)
            let error = #expect(throws: PledgerError.self) {
                try BoxConfigurationFile.load(path: file.path, config: PledgerConfig())
            }
            #expect(error?.field == field, "\(String(describing: error))")
        }
    }
}
