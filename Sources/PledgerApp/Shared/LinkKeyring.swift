import Foundation
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks

/// The keys that sign and check links: `PLEDGER_LINK_SECRET` (then rotated-out ones), or else a
/// key kept in the ledger, made on first use, so links survive restarts.
actor LinkKeyring {
    let store: any TransactionalStore
    let clock: WallClock
    let secrets: [String]
    private var keys: [HMACSHA256.Key]?

    init(store: any TransactionalStore, clock: WallClock, secrets: [String]) {
        self.store = store
        self.clock = clock
        self.secrets = secrets
    }

    private func loaded() async throws -> [HMACSHA256.Key] {
        if let keys { return keys }
        var texts = secrets
        if texts.isEmpty {
            let now = clock.now
            texts = [
                try await store.transaction { session in
                    try session.linkSecret(orMake: { Hex.encode(Crypto.randomBytes(32)) }, at: now)
                }
            ]
        }
        let made = texts.map { HMACSHA256.Key(Array($0.utf8)) }
        keys = made
        return made
    }

    /// The CSRF token of a page opened with `link`: an HMAC of the link itself, so a form posted
    /// from anywhere else, or with another link, is refused.
    func csrf(for link: String) async throws -> String {
        try await csrfTokens(for: link)[0]
    }

    /// The token under each key, the current one first: a page opened before a key rotation still posts.
    func csrfTokens(for link: String) async throws -> [String] {
        try await loaded().map { Base64URL.encode($0.mac(prefix: Array("csrf:".utf8), body: Array(link.utf8))) }
    }

    /// The current key, for signing inside a store transaction (which cannot await the keyring).
    func signingKey() async throws -> HMACSHA256.Key { try await loaded()[0] }

    /// Signs `token` with the current key.
    func sign(_ token: LinkToken) async throws -> String {
        let key = try await loaded()[0]
        return token.signed { key.mac(prefix: [], body: $0) }
    }

    /// Checks a token's signature (any listed key), purpose and expiry.
    func verify(_ text: String?, purpose: LinkToken.Purpose, now: Date) async throws -> Result<
        LinkToken, LinkToken.Refusal
    > {
        let macs = try await loaded().map { key in { (claims: [UInt8]) in key.mac(prefix: [], body: claims) } }
        do {
            return .success(try LinkToken.verify(text ?? "", purpose: purpose, now: now, macs: macs))
        } catch {
            return .failure(error)
        }
    }
}
