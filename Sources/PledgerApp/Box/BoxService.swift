import Foundation
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks

/// The reader's box: publishable keys, Continue → a pending pledge and the checkout address,
/// "remind me later" with double opt-in, and the funnel's beacon. Every public call is refused
/// (``BoxRefusal``) before it writes anything when the key, the origin or a rate limit says no.
public struct BoxService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    let minimums: MinimumPledgePolicy
    let maximums: MaximumAmountPolicy
    let reminderPolicy: ReminderPolicy
    /// Nil when `serve` runs without `--box`: the public routes answer 503.
    public let configuration: BoxConfiguration?
    let links: LinkKeyring
    let perIP: RateLimiter
    let beaconsPerIP: RateLimiter
    let perEmail: RateLimiter

    init(
        store: any TransactionalStore, clock: WallClock, config: PledgerConfig, links: LinkKeyring
    ) {
        self.store = store
        self.clock = clock
        minimums = config.minimums
        maximums = config.maximums
        reminderPolicy = config.reminders
        configuration = config.box
        self.links = links
        let limits = config.box?.limits ?? .default
        perIP = RateLimiter(rule: limits.perIP)
        // Beacons come with every page view; they get their own, larger bucket so that they never
        // use up a reader's Continue.
        beaconsPerIP = RateLimiter(rule: .init(burst: limits.perIP.burst * 3, refill: limits.perIP.refill / 3))
        perEmail = RateLimiter(rule: limits.perEmail)
    }

    // MARK: Keys (the publisher's, from the CLI)

    /// Creates a key bound to `origins` and returns it (it is public: it sits in pages).
    public func createKey(origins texts: [String], label: String?) async throws -> PublishableKey {
        let origins = try PublishableKey.checkOrigins(texts)
        let label = try normaliseLabel(label, field: "label")
        var generator = SystemRandomNumberGenerator()
        let key = PublishableKey(
            key: PublishableKey.generate(using: &generator), origins: origins, label: label, createdAt: clock.now,
            revokedAt: nil)
        try await store.transaction { try $0.insertPublishableKey(key) }
        return key
    }

    public func keys() async throws -> [PublishableKey] {
        try await store.snapshot { try $0.publishableKeys() }
    }

    /// Revokes a key: pages carrying it stop working at once.
    public func revokeKey(_ text: String) async throws {
        let key = try PublishableKey.check(text)
        let now = clock.now
        try await store.transaction { session in
            guard try session.revokePublishableKey(key, at: now) else {
                guard try session.publishableKey(key) != nil else {
                    throw PledgerError(.notFound, code: "key_not_found", field: "key", message: "no key \(key)")
                }
                throw PledgerError(
                    .conflict, code: "key_revoked", field: "key", message: "\(key) is already revoked")
            }
        }
    }

    // MARK: The public routes

    /// The configuration a request is answered with, or ``BoxRefusal/notConfigured``.
    public func requireConfiguration() throws(BoxRefusal) -> BoxConfiguration {
        guard let configuration else { throw .notConfigured }
        return configuration
    }

    /// This server's own origin (the iframe's pages come from it), from `public_url`.
    public var ownOrigin: WebOrigin? { configuration.flatMap { WebOrigin(url: $0.publicURL) } }

    /// Checks the key and the page's origin: a known live key, and an origin among its own or this
    /// server's. `origin` nil (no `Origin` header) passes only where `originRequired` is false
    /// (reading the configuration, which is public anyway).
    public func authorize(key text: String?, origin: String?, originRequired: Bool) async throws -> PublishableKey {
        _ = try requireConfiguration()
        guard let text, let keyText = try? PublishableKey.check(text) else { throw BoxRefusal.unknownKey }
        guard let key = try await store.snapshot({ try $0.publishableKey(keyText) }), !key.isRevoked else {
            throw BoxRefusal.unknownKey
        }
        guard let origin else {
            if originRequired { throw BoxRefusal.originNotAllowed("a request without Origin") }
            return key
        }
        guard let parsed = try? WebOrigin(origin), key.allows(parsed) || parsed == ownOrigin else {
            throw BoxRefusal.originNotAllowed(origin)
        }
        return key
    }

    /// Whether `origin` may read answers of this server's public routes at all (for CORS on
    /// errors and preflights, which name no key in a header).
    public func isAllowedOrigin(_ origin: String) async throws -> Bool {
        guard configuration != nil, let parsed = try? WebOrigin(origin) else { return false }
        if parsed == ownOrigin { return true }
        return try await store.snapshot { try $0.publishableKeys() }.contains { $0.allows(parsed) }
    }

    /// Takes a token from the client's bucket, or refuses.
    public func limit(clientIP: String, beacon: Bool = false) async throws(BoxRefusal) {
        let limiter = beacon ? beaconsPerIP : perIP
        if let wait = await limiter.take("ip:" + clientIP, at: clock.now) { throw .rateLimited(retryAfter: wait) }
    }

    private func limit(email: EmailAddress) async throws(BoxRefusal) {
        if let wait = await perEmail.take(email.value, at: clock.now) { throw .rateLimited(retryAfter: wait) }
    }

    /// Continue: a pending pledge carrying where it came from, and the processor's address for it.
    /// A filled honeypot gets an answer that looks the same and writes nothing.
    public func checkout(_ request: BoxCheckoutRequest) async throws -> BoxCheckout {
        let configuration = try requireConfiguration()
        guard let cadenceText = request.cadence else { throw PledgerError.invalid("cadence", "is required") }
        let cadence = try Cadence.parse(cadenceText)
        guard configuration.cadences.contains(cadence) else {
            throw PledgerError.invalid("cadence", "\(cadence.rawValue) is not offered by this box")
        }
        guard let code = request.currency else { throw PledgerError.invalid("currency", "is required") }
        let currency = try Currency.parse(code)
        guard configuration.currencies.contains(currency) else {
            throw PledgerError.invalid("currency", "\(currency) is not offered by this box")
        }
        guard let minor = request.amount else { throw PledgerError.invalid("amount", "is required, in minor units") }
        let amount = try Money.minor(minor, currency: currency)
        try minimums.check(amount)
        try maximums.check(amount)
        let email = try request.email.flatMap { text throws(PledgerError) in
            text.isEmpty ? nil : try EmailAddress(text)
        }
        let attribution = try Attribution.from(
            pageURL: request.pageURL, referrer: request.referrer, campaign: request.campaign, utm: request.utm)
        if let website = request.website, !website.isEmpty {
            let decoy = ID<Pledge>.make()
            return BoxCheckout(
                pledgeID: decoy,
                checkoutURL: configuration.checkoutURL.url(
                    pledgeID: decoy, amount: amount, cadence: cadence, email: email?.value))
        }
        if let email { try await limit(email: email) }
        let now = clock.now
        let pledge = try await store.transaction { session in
            let supporterID: ID<Supporter>
            if let email {
                supporterID = try SupporterDirectory.supporterID(session, email: email, externalRef: nil, at: now)
            } else {
                // No e-mail yet: a supporter known only by this pledge; the processor's checkout has the e-mail.
                supporterID = ID<Supporter>.make()
                try session.insertSupporter(id: supporterID, email: nil, externalRef: nil, at: now)
            }
            let pledge = try PledgeService.insertPending(
                session,
                Pledge(
                    id: ID<Pledge>.make(), supporterID: supporterID, email: email?.value, externalRef: nil,
                    cadence: cadence, amount: amount, status: .pending, source: Pledge.boxSource, processor: nil,
                    processorRef: nil, createdAt: now, firstPaidAt: nil, cancelledAt: nil),
                now: now)
            try session.insertAttribution(attribution, pledgeID: pledge.id, at: now)
            return pledge
        }
        return BoxCheckout(
            pledgeID: pledge.id,
            checkoutURL: configuration.checkoutURL.url(
                pledgeID: pledge.id, amount: amount, cadence: cadence, email: email?.value))
    }

    /// "Remind me later": stores a request awaiting confirmation and announces the signed link.
    /// The caller answers the same whatever happened here, so nobody learns who is known.
    public func requestReminder(_ request: BoxReminderRequest) async throws {
        let configuration = try requireConfiguration()
        guard let text = request.email, !text.isEmpty else { throw PledgerError.invalid("email", "is required") }
        let email = try EmailAddress(text)
        let attribution = try Attribution.from(
            pageURL: request.pageURL, referrer: request.referrer, campaign: request.campaign, utm: request.utm)
        if let website = request.website, !website.isEmpty { return }
        try await limit(email: email)
        let now = clock.now
        let unconfirmed = UnconfirmedReminder(
            id: ID.make(), email: email.value, attribution: attribution, requestedAt: now,
            expiresAt: now.addingTimeInterval(configuration.confirmationTTL))
        let token = try await links.sign(
            LinkToken(
                purpose: .confirmReminder, subject: unconfirmed.id.rawValue, expiresAt: unconfirmed.expiresAt, nonce: ""
            ))
        let confirmURL = configuration.publicURL + "/r/confirm?token=" + token
        try await store.transaction { session in
            try session.insertReminderRequest(unconfirmed)
            _ = try session.appendEvent(
                .reminderConfirmationRequested(unconfirmed, confirmURL: confirmURL), recordedAt: now)
            try session.countBox(
                .remindRequested, day: BoxFunnel.counterDay(now), campaign: attribution.campaign,
                pagePath: attribution.pagePath)
        }
    }

    /// Whether a confirmation link would confirm, without confirming: opening the link only shows the
    /// page with its button (mail scanners open links; only a person presses the button).
    public func checkConfirmation(token: String?) async throws -> LinkToken.Refusal? {
        let now = clock.now
        let id: ID<UnconfirmedReminder>
        switch try await requestID(token, now: now) {
        case .success(let verified): id = verified
        case .failure(let refusal): return refusal
        }
        return try await store.snapshot { session in
            guard let request = try session.reminderRequest(id: id) else { return .badSignature }
            return request.confirmation(at: now) == .expired ? .expired : nil
        }
    }

    /// The button on the confirmation page: schedules the reminder (once; a second click shows
    /// the same page). A bad, expired or unknown link changes nothing.
    public func confirm(token: String?) async throws -> BoxConfirmation {
        let now = clock.now
        let id: ID<UnconfirmedReminder>
        switch try await requestID(token, now: now) {
        case .success(let verified): id = verified
        case .failure(let refusal): return .invalid(refusal)
        }
        let policy = reminderPolicy
        return try await store.transaction { session in
            guard let request = try session.reminderRequest(id: id) else { return .invalid(nil) }
            switch request.confirmation(at: now) {
            case .alreadyConfirmed(let reminderID):
                return .confirmed(reminderID)
            case .expired:
                return .invalid(.expired)
            case .confirm:
                guard let text = request.email else { return .invalid(nil) }
                let email = try EmailAddress(text)
                let reminderID: ID<Reminder>
                do {
                    reminderID = try ReminderService.schedule(
                        session, email: email, externalRef: nil, campaign: request.attribution.campaign,
                        when: .defaultDelay, policy: policy, at: now, now: now
                    ).reminder.id
                } catch let error as PledgerError where error.kind == .refused {
                    // Deferred as often as the policy allows: the open reminder stands, and this confirms it.
                    let supporter = try session.supporter(email: email.value)
                    guard let supporter,
                        let open = try session.openReminder(
                            supporterID: supporter.id, campaign: request.attribution.campaign)
                    else { throw error }
                    reminderID = open.id
                }
                if try session.attribution(reminderID: reminderID) == nil {
                    try session.insertAttribution(request.attribution, reminderID: reminderID, at: now)
                }
                try session.confirmReminderRequest(id, reminderID: reminderID, at: now)
                // The mail reached its reader; the reminder keeps the e-mail now, and erasure finds it there.
                try Self.scrubEvents(session, id, at: now)
                return .confirmed(reminderID)
            }
        }
    }

    /// The request a confirmation link names, once its signature, purpose and expiry check out.
    private func requestID(_ token: String?, now: Date) async throws -> Result<
        ID<UnconfirmedReminder>, LinkToken.Refusal
    > {
        try await links.verify(token, purpose: .confirmReminder, now: now).map { ID($0.subject) }
    }

    /// The beacon: one more "shown" or "continued" for today, the campaign and the page path.
    public func count(kind: BoxBeaconKind, campaign: String?, pageURL: String?) async throws {
        _ = try requireConfiguration()
        let attribution = try Attribution.from(pageURL: pageURL, referrer: nil, campaign: campaign, utm: [:])
        let now = clock.now
        try await store.transaction { session in
            try session.countBox(
                kind == .shown ? .shown : .continued, day: BoxFunnel.counterDay(now), campaign: attribution.campaign,
                pagePath: attribution.pagePath)
        }
    }

    /// The public view of the configuration for a page's language.
    public func view(lang: String?) throws(BoxRefusal) -> BoxView {
        let configuration = try requireConfiguration()
        return BoxView(configuration, copy: BoxCopy.match(lang, in: configuration.copy), minimums: minimums)
    }

    /// Deletes an unconfirmed request and erases its e-mail from its events (expiry and erasure).
    static func forget(_ session: any StoreTransaction, _ id: ID<UnconfirmedReminder>, at now: Date) throws {
        try scrubEvents(session, id, at: now)
        try session.deleteReminderRequest(id)
    }

    /// Erases the e-mail from a box request's events.
    static func scrubEvents(_ session: any StoreTransaction, _ id: ID<UnconfirmedReminder>, at now: Date) throws {
        for event in try session.events(requestID: id) {
            if let erased = event.erasingPersonalData() {
                try session.replaceErasedEventBody(sequence: erased.sequence, body: erased.body, at: now)
            }
        }
    }

}
