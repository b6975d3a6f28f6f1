import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore
import PledgerTestSupport
import Testing

/// The box's public routes over HTTP: a publishable key and an allowed Origin instead of a token,
/// CORS for the key's origins only, small strict bodies, and clear errors that write nothing.
@Suite("Box API")
struct BoxAPITests {
    static let origin = BoxTesting.origin
    static let forwarded = HTTPField.Name("X-Forwarded-For")!

    let service: TestService
    let key: String

    init() async throws {
        service = try await TestService { config in
            config.box = try BoxTesting.configuration(
                limits: #"{"per_ip_burst": 3, "per_ip_refill_seconds": 60, "client_ip_header": "X-Forwarded-For"}"#,
                config: config)
        }
        key = try await service.ledger.app.box.createKey(origins: [Self.origin], label: nil).key
    }

    func headers(origin: String? = Self.origin, ip: String = "192.0.2.1", json: Bool = true) -> HTTPFields {
        var fields = HTTPFields()
        if let origin { fields[.origin] = origin }
        fields[Self.forwarded] = ip
        if json { fields[.contentType] = "application/json" }
        return fields
    }

    func checkoutBody(_ extra: String = "", amount: Int = 500) -> ByteBuffer {
        json(
            #"{"key":"\#(key)","cadence":"monthly","amount":\#(amount),"currency":"USD","#
                + #""page_url":"https://www.example.org/news/a?utm_source=nl","campaign":"winter"\#(extra)}"#)
    }

    func counts() async throws -> [String: Int] {
        try await service.ledger.store.read { try $0.rowCounts() }
    }

    @Test("Preflight: answered for the key's origins, refused without CORS headers for any other")
    func preflight() async throws {
        try await service.application.test(.router) { client in
            var ask = headers(json: false)
            ask[.accessControlRequestMethod] = "POST"
            let allowed = try await client.execute(uri: "/v1/public/checkout", method: .options, headers: ask)
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == Self.origin)
            #expect(allowed.headers[.accessControlAllowHeaders] == "Content-Type")
            #expect(allowed.headers[.vary] == "Origin")
            let foreign = try await client.execute(
                uri: "/v1/public/checkout", method: .options, headers: headers(origin: "https://evil.example"))
            #expect(foreign.status == .forbidden)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("Continue: 201 with the pledge and the checkout address; the pledge is pending")
    func checkout() async throws {
        try await service.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/public/checkout", method: .post, headers: headers(), body: checkoutBody())
            #expect(response.status == .created)
            #expect(response.headers[.accessControlAllowOrigin] == Self.origin)
            let body = try response.object()
            let id = try #require(body["pledge_id"] as? String)
            #expect((body["checkout_url"] as? String)?.contains("ref=\(id)") == true)
            #expect(try await service.ledger.app.pledges.pledge(id: ID(id)).status == .pending)
            // The membership team sees where it came from.
            let shown = try await client.execute(
                uri: "/v1/pledges/\(id)", method: .get, headers: service.headers(service.writer, json: false))
            let attribution = try #require(try shown.object()["attribution"] as? [String: Any])
            #expect(attribution["page_path"] as? String == "/news/a")
            #expect(attribution["campaign"] as? String == "winter")
            #expect((attribution["utm"] as? [String: String]) == ["utm_source": "nl"])
        }
    }

    @Test(
        "Refusals: clear JSON, the right status, CORS only for allowed origins, nothing written",
        arguments: [
            ("unknown field", "origin", #","color":"red""#, 422, "unknown_field", true),
            ("below minimum", "origin", "", 422, "amount_below_minimum", true),
            ("foreign origin", "https://evil.example", "", 403, "origin_not_allowed", false),
            ("no origin", "", "", 403, "origin_not_allowed", false),
            ("unknown key", "origin", "key", 401, "unknown_key", true),
        ])
    func refusals(
        name: String, origin: String, extra: String, status: Int, code: String, readable: Bool
    ) async throws {
        let before = try await counts()
        try await service.application.test(.router) { client in
            let origin = origin == "origin" ? Self.origin : origin.isEmpty ? nil : origin
            let body: ByteBuffer =
                extra == "key"
                ? json(#"{"key":"pk_0000000000000000","cadence":"monthly","amount":500,"currency":"USD"}"#)
                : checkoutBody(extra, amount: name == "below minimum" ? 150 : 500)
            let response = try await client.execute(
                uri: "/v1/public/checkout", method: .post, headers: headers(origin: origin), body: body)
            #expect(response.status.code == status, "\(name): \(response.text)")
            #expect(try response.errorCode() == code)
            #expect((response.headers[.accessControlAllowOrigin] != nil) == readable)
        }
        #expect(try await counts() == before)
    }

    @Test("A body over 4 KB is refused before it is read whole")
    func bodyLimit() async throws {
        try await service.application.test(.router) { client in
            let padding = String(repeating: "x", count: 5000)
            let response = try await client.execute(
                uri: "/v1/public/checkout", method: .post, headers: headers(),
                body: checkoutBody(#","referrer":"https://r.example/\#(padding)""#))
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test("Remind me later: the same 202 whether the e-mail is known or not")
    func sameAnswer() async throws {
        _ = try await service.ledger.app.pledges.record(
            PledgeRequest(email: "known@example.org", amount: usd("5.00"), cadence: .monthly))
        try await service.application.test(.router) { client in
            var answers: [String] = []
            for email in ["known@example.org", "nobody@example.org"] {
                let response = try await client.execute(
                    uri: "/v1/public/reminders", method: .post, headers: headers(ip: email),
                    body: json(
                        #"{"key":"\#(key)","email":"\#(email)","page_url":"https://www.example.org/a","website":""}"#))
                #expect(response.status == .accepted)
                answers.append(response.text)
            }
            #expect(answers[0] == answers[1])
        }
        #expect(try await counts()["reminder_requests"] == 2)
    }

    @Test("Over the per-address limit: 429 with Retry-After, readable by the page")
    func rateLimited() async throws {
        try await service.application.test(.router) { client in
            for _ in 0..<3 {
                let response = try await client.execute(
                    uri: "/v1/public/checkout", method: .post, headers: headers(ip: "198.51.100.7"),
                    body: checkoutBody())
                #expect(response.status == .created)
            }
            let limited = try await client.execute(
                uri: "/v1/public/checkout", method: .post, headers: headers(ip: "198.51.100.7"), body: checkoutBody())
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "60")
            #expect(limited.headers[.accessControlAllowOrigin] == Self.origin)
            #expect(try limited.errorCode() == "rate_limited")
            let other = try await client.execute(
                uri: "/v1/public/checkout", method: .post, headers: headers(ip: "198.51.100.8"), body: checkoutBody())
            #expect(other.status == .created)
        }
    }

    @Test("The configuration for a page, and the beacon")
    func configurationAndBeacon() async throws {
        try await service.application.test(.router) { client in
            let view = try await client.execute(
                uri: "/v1/public/box?key=\(key)&lang=ru-RU", method: .get, headers: headers(json: false))
            #expect(view.status == .ok)
            #expect(try view.object()["lang"] as? String == "ru")
            #expect((try view.object()["minimums"] as? [String: Any])?["USD"] as? Int == 200)
            let beacon = try await client.execute(
                uri: "/v1/public/events", method: .post, headers: headers(),
                body: json(#"{"key":"\#(key)","kind":"shown","page_url":"https://www.example.org/a"}"#))
            #expect(beacon.status == .noContent)
            let wrong = try await client.execute(
                uri: "/v1/public/events", method: .post, headers: headers(),
                body: json(#"{"key":"\#(key)","kind":"clicked","page_url":"https://www.example.org/a"}"#))
            #expect(wrong.status == .unprocessableContent)
        }
        #expect(try await counts()["box_counts"] == 1)
    }

    @Test("box.js and the pages: types, framing limited to the key's origins, a strict CSP")
    func files() async throws {
        try await service.application.test(.router) { client in
            let script = try await client.execute(uri: "/box.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "application/javascript; charset=utf-8")
            let frame = try await client.execute(uri: "/box/frame?key=\(key)&campaign=winter&lang=ru", method: .get)
            #expect(frame.status == .ok)
            #expect(frame.headers[.contentSecurityPolicy]?.hasSuffix("frame-ancestors \(Self.origin)") == true)
            #expect(frame.text.contains(#"data-key="\#(key)""#))
            #expect(frame.text.contains(#"lang="ru""#))
            let noKey = try await client.execute(uri: "/box/frame?key=pk_nope", method: .get)
            #expect(noKey.status == .unauthorized)
            let badLink = try await client.execute(uri: "/r/confirm?token=abc.def", method: .get)
            #expect(badLink.status == .badRequest)
            #expect(badLink.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(badLink.text.contains("not valid"))
        }
    }

    @Test("Opening the confirmation link only asks; the button confirms, once")
    func confirmationNeedsTheButton() async throws {
        let app = service.ledger.app
        try await app.box.requestReminder(BoxTesting.remindLater(email: "later@example.org"))
        let token = try #require(try await BoxTesting.latestConfirmToken(app))
        try await service.application.test(.router) { client in
            let page = try await client.execute(uri: "/r/confirm?token=\(token)&lang=ru", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<form method="post" action="/r/confirm">"#))
            #expect(page.text.contains("Да, напомните мне"))
            #expect(try await app.reminders.list(email: "later@example.org").isEmpty)
            for _ in 0..<2 {
                let confirmed = try await client.execute(
                    uri: "/r/confirm", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "token=\(token)&lang=en"))
                #expect(confirmed.status == .ok)
                #expect(confirmed.text.contains("Reminder confirmed"))
            }
            let tampered = try await client.execute(
                uri: "/r/confirm", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(BoxTesting.tamper(token))"))
            #expect(tampered.status == .badRequest)
        }
        #expect(try await app.reminders.list(email: "later@example.org").count == 1)
    }

    @Test("Without --box the public routes answer 503")
    func notConfigured() async throws {
        let bare = try await TestService()
        try await bare.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/public/box?key=pk_0000000000000000", method: .get, headers: headers(json: false))
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorCode() == "box_not_configured")
        }
    }
}
