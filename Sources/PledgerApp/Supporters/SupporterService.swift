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

    init(store: any TransactionalStore, clock: WallClock, config: PledgerConfig, links: LinkKeyring) {
        self.store = store
        self.clock = clock
        publicURL = config.publicURL ?? config.box?.publicURL
        self.links = links
        perEmail = RateLimiter(rule: (config.box?.limits ?? .default).perEmail)
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
        guard
            let (supporter, nonce) = try await store.snapshot({ session -> (SupporterRecord, String)? in
                guard let supporter = try session.supporter(email: email.value) else { return nil }
                return (supporter, try session.linkNonce(supporterID: supporter.id))
            })
        else { return nil }
        let token = try await links.sign(
            LinkToken(purpose: .manage, subject: supporter.id.rawValue, expiresAt: expiresAt, nonce: nonce))
        let url = publicURL + "/manage?token=" + token
        try await store.transaction { session in
            _ = try session.appendEvent(
                .supporterLinkRequested(
                    supporter: .init(id: supporter.id, email: supporter.email, externalRef: supporter.externalRef),
                    link: .init(url: url, purpose: .manage, expiresAt: expiresAt), at: now),
                recordedAt: now)
        }
        return Link(supporterID: supporter.id, url: url, expiresAt: expiresAt)
    }

    /// Revokes every link given out to the supporter with this e-mail so far.
    public func revokeLinks(email text: String) async throws -> ID<Supporter> {
        let email = try EmailAddress(text)
        let now = clock.now
        return try await store.transaction { session in
            guard let supporter = try session.supporter(email: email.value) else {
                throw PledgerError(
                    .notFound, code: "supporter_not_found", field: "email", message: "no supporter with e-mail \(email)"
                )
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
    }

    /// The page a link opens, or why the link is refused (tampered, expired, revoked, erased).
    public func page(token: String?) async throws -> Result<Page, LinkToken.Refusal> {
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
            return .success(
                Page(
                    supporterID: id, email: supporter.email, pledges: try session.pledges(supporterID: id),
                    payments: try session.payments(supporterID: id, limit: 500)))
        }
    }
}
