import Foundation
import Testing

@testable import PledgerCore

/// The box's rules that need no store: its configuration, origins, attribution, the checkout
/// address, signed links and the token bucket.
@Suite("Box rules")
struct BoxRulesTests {
    static func document(_ json: String) throws -> BoxConfiguration.Document {
        try JSONDecoder().decode(BoxConfiguration.Document.self, from: Data(json.utf8))
    }

    static let valid = """
        {"public_url": "https://p.example.org/", "currencies": ["USD"], "default_cadence": "annual",
         "checkout_url": "https://buy.example.org/?ref={pledge_id}",
         "presets": {"one_off": {"USD": [1000]}, "monthly": {"USD": [500, 1000]}, "annual": {"USD": [5000]}},
         "copy": {"en": {"title": "Back the newsroom"}}}
        """

    static func configuration(_ json: String) throws(PledgerError) -> BoxConfiguration {
        let document: BoxConfiguration.Document
        do { document = try Self.document(json) } catch { throw .invalid("test", "\(error)") }
        return try BoxConfiguration(document: document, minimums: .default, maximums: .default)
    }

    @Test("A valid file: defaults filled, overrides kept, the trailing slash of public_url dropped")
    func validConfiguration() throws {
        let box = try Self.configuration(Self.valid)
        #expect(box.publicURL == "https://p.example.org")
        #expect(box.defaultCadence == .annual)
        #expect(box.cadences == [.oneOff, .monthly, .annual])
        #expect(box.presets[.monthly]?[.usd] == [500, 1000])
        #expect(box.methods.map(\.id) == ["card"])
        #expect(box.copy["en"]?[.title] == "Back the newsroom")
        #expect(box.copy["en"]?[.continue] == "Continue")
        #expect(box.copy["ru"]?[.continue] == "Продолжить")
    }

    @Test(
        "A wrong file is refused naming the key at fault",
        arguments: [
            (#""public_url": "https://p.example.org/","#, #""public_url": "ftp://x","#, "public_url"),
            (#""default_cadence": "annual""#, #""default_cadence": "weekly""#, "default_cadence"),
            (#""monthly": {"USD": [500, 1000]}"#, #""monthly": {"USD": [100, 1000]}"#, "presets.monthly.USD"),
            (#""monthly": {"USD": [500, 1000]}"#, #""monthly": {"USD": [1000, 500]}"#, "presets.monthly.USD"),
            (#", "annual": {"USD": [5000]}"#, "", "presets.annual.USD"),
            ("ref={pledge_id}", "ref={id}", "checkout_url"),
            ("ref={pledge_id}", "ref=", "checkout_url"),
            (#""title": "Back the newsroom""#, #""titel": "x""#, "copy.en.titel"),
            (#""en": {"#, #""de": {"#, "copy.de"),
        ])
    func refusals(original: String, replacement: String, field: String) throws {
        #expect(Self.valid.contains(original))
        let error = #expect(throws: PledgerError.self) {
            try Self.configuration(Self.valid.replacingOccurrences(of: original, with: replacement))
        }
        #expect(error?.field?.hasPrefix(field) == true, "\(String(describing: error))")
    }

    @Test("An unknown key in the file is refused with its path, not ignored")
    func unknownKey() {
        let error = #expect(throws: BoxConfiguration.UnknownKey.self) {
            try Self.document(
                Self.valid.replacingOccurrences(of: #""currencies""#, with: #""currency": 1, "currencies""#))
        }
        #expect(error?.path == ["currency"])
    }

    @Test("Origins are normalised the way browsers send them; paths and other schemes are refused")
    func origins() throws {
        #expect(try WebOrigin("https://WWW.Example.org:443") == WebOrigin("https://www.example.org"))
        #expect(try WebOrigin("http://localhost:8080").description == "http://localhost:8080")
        #expect(try WebOrigin("https://example.org") != WebOrigin("http://example.org"))
        for bad in ["null", "https://example.org/news", "ftp://example.org", "example.org", "https://u:p@example.org"] {
            #expect(throws: PledgerError.self) { try WebOrigin(bad) }
        }
        let key = PublishableKey(
            key: "pk_0123456789ab", origins: [try WebOrigin("https://www.example.org")], label: nil,
            createdAt: at("2026-01-01T00:00:00Z"), revokedAt: nil)
        #expect(key.allows(try WebOrigin("https://www.example.org")))
        #expect(!key.allows(try WebOrigin("https://evil.example")))
        var revoked = key
        revoked = PublishableKey(
            key: key.key, origins: key.origins, label: nil, createdAt: key.createdAt, revokedAt: key.createdAt)
        #expect(!revoked.allows(try WebOrigin("https://www.example.org")))
        #expect(throws: PledgerError.self) { try PublishableKey.check("sk_0123456789ab") }
        #expect(throws: PledgerError.self) { try PublishableKey.checkOrigins([]) }
    }

    @Test("Attribution keeps the path, the referrer's host and UTM fields; the body's UTM wins")
    func attribution() throws {
        let made = try Attribution.from(
            pageURL: "https://www.example.org/news/a%20b?utm_source=nl&utm_medium=email&email=x@y.org#top",
            referrer: "https://News.Google.com/read?id=secret", campaign: nil,
            utm: ["utm_medium": "social", "utm_term": String?.none])
        #expect(made.pagePath == "/news/a%20b")
        #expect(made.referrerHost == "news.google.com")
        #expect(made.utm == ["utm_source": "nl", "utm_medium": "social"])
        #expect(made.campaign == "default")
        for page in [nil, "javascript:alert(1)", "/relative/path"] {
            let error = #expect(throws: PledgerError.self) {
                try Attribution.from(pageURL: page, referrer: nil, campaign: nil, utm: [:])
            }
            #expect(error?.field == "page_url")
        }
    }

    @Test("The checkout address fills every placeholder, percent-encoded")
    func checkoutURL() throws {
        let template = try CheckoutURLTemplate(
            "https://buy.example.org/p?r={pledge_id}&a={amount}&c={currency}&k={cadence}&e={email}")
        let url = template.url(
            pledgeID: ID("pl_1"), amount: Money(minorUnits: 500, currency: .usd), cadence: .monthly,
            email: "a+b@example.org")
        #expect(url == "https://buy.example.org/p?r=pl_1&a=500&c=USD&k=monthly&e=a%2Bb%40example.org")
        #expect(
            template.url(
                pledgeID: ID("pl_2"), amount: Money(minorUnits: 1, currency: .usd), cadence: .oneOff, email: nil
            )
            .hasSuffix("&e="))
    }

    /// A stand-in MAC: deterministic and keyed, enough to test the claims' handling (libcrypto's
    /// HMAC is tested beside the webhooks).
    static func mac(_ key: String) -> ([UInt8]) -> [UInt8] {
        { bytes in
            var state: UInt64 = 1_469_598_103_934_665_603
            for byte in Array(key.utf8) + bytes { state = (state ^ UInt64(byte)) &* 1_099_511_628_211 }
            return withUnsafeBytes(of: state) { Array($0) }
        }
    }

    @Test("A signed link verifies once; tampered, foreign-purpose, expired and malformed ones are refused")
    func linkTokens() throws {
        let now = at("2026-06-01T00:00:00Z")
        let token = LinkToken(
            purpose: .confirmReminder, subject: "rq_abc", expiresAt: now.addingTimeInterval(7 * 86_400), nonce: "")
        let text = token.signed(mac: Self.mac("k1"))
        #expect(try LinkToken.verify(text, purpose: .confirmReminder, now: now, macs: [Self.mac("k1")]) == token)
        // A rotated-out key still verifies while it is listed.
        #expect(
            try LinkToken.verify(text, purpose: .confirmReminder, now: now, macs: [Self.mac("k2"), Self.mac("k1")])
                == token)
        #expect(throws: LinkToken.Refusal.badSignature) {
            try LinkToken.verify(text, purpose: .confirmReminder, now: now, macs: [Self.mac("k2")])
        }
        let forged = Base64URL.encode(Array(token.claims.replacingOccurrences(of: "rq_abc", with: "rq_xyz").utf8))
        let signature = text.split(separator: ".")[1]
        #expect(throws: LinkToken.Refusal.badSignature) {
            try LinkToken.verify(forged + "." + signature, purpose: .confirmReminder, now: now, macs: [Self.mac("k1")])
        }
        let manage = LinkToken(purpose: .manage, subject: "sp_1", expiresAt: token.expiresAt, nonce: "n1")
        #expect(throws: LinkToken.Refusal.wrongPurpose) {
            try LinkToken.verify(
                manage.signed(mac: Self.mac("k1")), purpose: .confirmReminder, now: now, macs: [Self.mac("k1")])
        }
        #expect(throws: LinkToken.Refusal.expired) {
            try LinkToken.verify(text, purpose: .confirmReminder, now: token.expiresAt, macs: [Self.mac("k1")])
        }
        for bad in ["", "abc", "a.b.c", "!!.??"] {
            #expect(throws: LinkToken.Refusal.self) {
                try LinkToken.verify(bad, purpose: .confirmReminder, now: now, macs: [Self.mac("k1")])
            }
        }
    }

    @Test("The token bucket allows its burst, then one per refill, and says how long to wait")
    func tokenBucket() {
        let start = at("2026-06-01T00:00:00Z")
        var bucket = TokenBucket(rule: .init(burst: 2, refill: 10), now: start)
        #expect(bucket.take(at: start) == nil)
        #expect(bucket.take(at: start) == nil)
        #expect(bucket.take(at: start) == 10)
        #expect(bucket.take(at: start.addingTimeInterval(5)) == 5)
        #expect(bucket.take(at: start.addingTimeInterval(10)) == nil)
        #expect(!bucket.isFull(at: start.addingTimeInterval(10)))
        #expect(bucket.isFull(at: start.addingTimeInterval(30)))
    }

    @Test("The box's copy follows the page's language, else English")
    func copyLanguage() {
        #expect(BoxCopy.match("ru-RU", in: BoxCopy.builtIn).language == "ru")
        #expect(BoxCopy.match("de", in: BoxCopy.builtIn).language == "en")
        #expect(BoxCopy.match(nil, in: BoxCopy.builtIn).language == "en")
        for language in BoxCopy.builtIn.values {
            #expect(BoxCopy.Key.allCases.allSatisfy { !language[$0].isEmpty })
        }
    }

    @Test("An unconfirmed reminder confirms once, before it expires")
    func confirmation() {
        let start = at("2026-06-01T00:00:00Z")
        var request = UnconfirmedReminder(
            id: ID("rq_1"), email: "a@example.org",
            attribution: Attribution(campaign: "default", pagePath: "/", referrerHost: nil, utm: [:]),
            requestedAt: start, expiresAt: start.addingTimeInterval(100))
        #expect(request.confirmation(at: start) == .confirm)
        #expect(request.confirmation(at: start.addingTimeInterval(100)) == .expired)
        request.reminderID = ID("rm_1")
        #expect(request.confirmation(at: start.addingTimeInterval(500)) == .alreadyConfirmed(ID("rm_1")))
    }
}
