import Foundation
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks

/// Supporters acting alone, from a signed link that needs no account: making and revoking links,
/// and what their own page shows.
public struct SupporterService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    /// Where links point (`PLEDGER_PUBLIC_URL`, else the box's `public_url`).
    let publicURL: String?
    let links: LinkKeyring
    let perEmail: RateLimiter
    let minimums: MinimumPledgePolicy
    let maximums: MaximumAmountPolicy

    init(store: any TransactionalStore, clock: WallClock, config: PledgerConfig, links: LinkKeyring) {
        self.store = store
        self.clock = clock
        publicURL = config.publicURL ?? config.box?.publicURL
        self.links = links
        perEmail = RateLimiter(rule: (config.box?.limits ?? .default).perEmail)
        minimums = config.minimums
        maximums = config.maximums
    }

    /// A link made for a supporter.
    public struct Link: Sendable, Equatable {
        public var supporterID: ID<Supporter>
        public var url: String
        public var expiresAt: Date
    }

    /// Makes a link to the supporter's own page and announces it (`supporter.link_requested`) for
    /// the mailer. Nil when no supporter has the e-mail; callers facing the public answer alike.
    public func requestLink(email text: String, ttl: String? = nil) async throws -> Link? {
        let email = try EmailAddress(text)
        let ttl = try SupporterLinkPolicy.ttl(ttl)
        guard let publicURL else {
            throw PledgerError.invalid(
                "PLEDGER_PUBLIC_URL", "is not set: links need the address readers reach this server at")
        }
        if let wait = await perEmail.take(email.value, at: clock.now) { throw BoxRefusal.rateLimited(retryAfter: wait) }
        let now = clock.now
        let expiresAt = now.addingTimeInterval(ttl)
        let key = try await links.signingKey()
        // One transaction: an erasure or a revocation cannot fall between reading the nonce and
        // announcing the link.
        return try await store.transaction { session -> Link? in
            guard let supporter = try session.supporter(email: email.value) else { return nil }
            let token = LinkToken(
                purpose: .manage, subject: supporter.id.rawValue, expiresAt: expiresAt,
                nonce: try session.linkNonce(supporterID: supporter.id)
            ).signed { key.mac(prefix: [], body: $0) }
            let url = publicURL + "/manage?token=" + token
            _ = try session.appendEvent(
                .supporterLinkRequested(
                    supporter: .init(id: supporter.id, email: supporter.email, externalRef: supporter.externalRef),
                    link: .init(url: url, purpose: .manage, expiresAt: expiresAt), at: now),
                recordedAt: now)
            return Link(supporterID: supporter.id, url: url, expiresAt: expiresAt)
        }
    }

    /// Revokes every link given out to the supporter with this e-mail so far.
    public func revokeLinks(email text: String) async throws -> ID<Supporter> {
        let email = try EmailAddress(text)
        let now = clock.now
        return try await store.transaction { session in
            guard let supporter = try session.supporter(email: email.value) else {
                throw PledgerError.supporterNotFound(email: "\(email)")
            }
            try Self.revokeLinks(session, supporter.id, at: now)
            return supporter.id
        }
    }

    /// A new nonce: every link signed with the old one stops working (revocation, erasure).
    static func revokeLinks(_ session: any StoreTransaction, _ id: ID<Supporter>, at now: Date) throws {
        try session.setLinkNonce(supporterID: id, nonce: Hex.encode(Crypto.randomBytes(8)), at: now)
    }

    /// What a supporter's page shows.
    public struct Page: Sendable {
        public var supporterID: ID<Supporter>
        public var email: String?
        public var pledges: [Pledge]
        public var payments: [(payment: Payment, receipt: ReceiptNumber?)]
        /// What the supporter asked for and the processor has not confirmed yet.
        public var requests: [SupporterRequest]
        /// The token the page's forms must post back with the link.
        public var csrf: String

        /// The calendar years (UTC) with a payment, newest first: a statement for each.
        public var statementYears: [Int] {
            Set(payments.map { FiscalYear.containing($0.payment.occurredAt).year }).sorted(by: >)
        }
    }

    /// The page a link opens, or why the link is refused (tampered, expired, revoked, erased).
    public func page(token: String?) async throws -> Result<Page, LinkToken.Refusal> {
        let verified: LinkToken
        switch try await links.verify(token, purpose: .manage, now: clock.now) {
        case .success(let token): verified = token
        case .failure(let refusal): return .failure(refusal)
        }
        let id = ID<Supporter>(verified.subject)
        let found: Result<Page, LinkToken.Refusal> = try await store.snapshot { session in
            // A revoked link carries an old nonce; an erased supporter's links were revoked with it.
            guard let supporter = try session.supporter(id: id), supporter.email != nil,
                try session.linkNonce(supporterID: id) == verified.nonce
            else { return .failure(.badSignature) }
            let pledges = try session.pledges(supporterID: id)
            return .success(
                Page(
                    supporterID: id, email: supporter.email, pledges: pledges,
                    payments: try session.payments(supporterID: id, limit: 500),
                    requests: try session.openSupporterRequests(pledgeIDs: pledges.map(\.id)), csrf: ""))
        }
        guard case .success(var page) = found, let token else { return found }
        page.csrf = try await links.csrf(for: token)
        return .success(page)
    }

    /// Why a form from the page is refused before anything is written.
    public enum FormRefusal: Error, Sendable, Equatable {
        case link(LinkToken.Refusal)
        /// The form's CSRF token does not belong to this link.
        case forged
        /// The pledge is not one of this supporter's.
        case notTheirs
    }

    /// A request from the supporter's page: checked against Core's rules for the pledge, recorded
    /// as requested, and announced (`pledge.pause_requested`, `.change_requested`, `.cancel_requested`).
    public func request(token: String?, csrf: String?, pledgeID: ID<Pledge>, _ kind: SupporterRequest.Kind)
        async throws -> SupporterRequest
    {
        let now = clock.now
        guard case .success(let verified) = try await links.verify(token, purpose: .manage, now: now) else {
            throw FormRefusal.link(.badSignature)
        }
        guard let csrf, let token,
            try await links.csrfTokens(for: token).contains(where: {
                HMACSHA256.constantTimeEqual(Array(csrf.utf8), Array($0.utf8))
            })
        else { throw FormRefusal.forged }
        let supporterID = ID<Supporter>(verified.subject)
        let (minimums, maximums) = (self.minimums, self.maximums)
        return try await store.transaction { session in
            guard try session.linkNonce(supporterID: supporterID) == verified.nonce,
                try session.supporter(id: supporterID)?.email != nil
            else { throw FormRefusal.link(.badSignature) }
            guard let pledge = try session.pledge(id: pledgeID), pledge.supporterID == supporterID else {
                throw FormRefusal.notTheirs
            }
            try SupporterRequest.check(kind, pledge: pledge, minimums: minimums, maximums: maximums)
            // Asked again while the first is open (a second click, a reload): nothing is sent twice.
            if let open = try session.openSupporterRequests(pledgeIDs: [pledgeID]).first(where: {
                $0.kind.name == kind.name
            }) {
                return open
            }
            let request = SupporterRequest(id: ID.make(), pledgeID: pledgeID, kind: kind, requestedAt: now)
            try session.insertSupporterRequest(request)
            _ = try session.appendEvent(.supporterRequested(request, pledge: pledge, at: now), recordedAt: now)
            return request
        }
    }

    /// A payment's receipt, as the supporter's own link shows it.
    public struct Receipt: Sendable {
        public var supporterID: ID<Supporter>
        public var email: String?
        public var payment: Payment
        public var number: ReceiptNumber?
        /// Refunded and charged back so far, in the payment's currency.
        public var refunded: Money
        public var chargedBack: Money
    }

    /// The receipt of `paymentID`, or a refusal: a bad link, or a payment that is not the link's
    /// supporter's (refused alike, so a link never tells whether someone else's payment exists).
    public func receipt(token: String?, paymentID: String?) async throws -> Result<Receipt, LinkToken.Refusal> {
        try await withSupporter(token: token) { session, supporter in
            guard let paymentID, !paymentID.isEmpty, paymentID.utf8.count <= 64,
                let found = try session.receipt(supporterID: supporter.id, paymentID: ID<Payment>(paymentID))
            else { return .failure(.malformed) }
            let currency = found.payment.amount.currency
            return .success(
                Receipt(
                    supporterID: supporter.id, email: supporter.email, payment: found.payment, number: found.receipt,
                    refunded: Money(minorUnits: found.refunded, currency: currency),
                    chargedBack: Money(minorUnits: found.chargedBack, currency: currency)))
        }
    }

    /// The supporter's giving statement for fiscal year `year` (`startMonth` January unless given).
    public func statement(token: String?, year: String?, startMonth: String? = nil) async throws -> Result<
        GivingStatement, LinkToken.Refusal
    > {
        let now = clock.now
        guard let year, let fiscalYear = try? FiscalYear.parse(year: year, startMonth: startMonth),
            fiscalYear.interval.start <= now
        else {
            // Still check the link first: a bad link is refused the same whatever the year says.
            return try await withSupporter(token: token) { _, _ in .failure(.malformed) }
        }
        return try await withSupporter(token: token) { session, supporter in
            .success(try StatementService.statement(session, supporter: supporter, year: fiscalYear, now: now))
        }
    }

    /// Verifies the link and runs `body` with its supporter, on one snapshot; a refused link never reaches it.
    private func withSupporter<T: Sendable>(
        token: String?,
        _ body: @escaping @Sendable (any StoreTransaction, SupporterRecord) throws -> Result<T, LinkToken.Refusal>
    ) async throws -> Result<T, LinkToken.Refusal> {
        let verified: LinkToken
        switch try await links.verify(token, purpose: .manage, now: clock.now) {
        case .success(let token): verified = token
        case .failure(let refusal): return .failure(refusal)
        }
        let id = ID<Supporter>(verified.subject)
        return try await store.snapshot { session in
            // A revoked link carries an old nonce; an erased supporter's links were revoked with it.
            guard let supporter = try session.supporter(id: id), supporter.email != nil,
                try session.linkNonce(supporterID: id) == verified.nonce
            else { return .failure(.badSignature) }
            return try body(session, supporter)
        }
    }
}
