import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// A supporter's own page over HTTP: the link opens it, its forms post with a CSRF token bound to
/// the link, and every refusal changes nothing.
@Suite("Supporter page")
struct SupporterPageTests {
    let service: TestService
    let pledge: Pledge
    let token: String

    init() async throws {
        service = try await TestService { config in config.publicURL = "https://pledger.example.org" }
        let app = service.ledger.app
        pledge = try await app.pledges.record(
            PledgeRequest(
                email: "me@example.org", amount: usd("5.00"), cadence: .monthly, processor: "stripe",
                processorRef: "sub_me"))
        _ = try await app.payments.record(PaymentRequest(pledgeID: pledge.id, amount: usd("5.00"), externalID: "pi_me"))
        let link = try #require(try await app.supporters.requestLink(email: "me@example.org"))
        token = try #require(URLComponents(string: link.url)?.queryItems?.first { $0.name == "token" }?.value)
    }

    func csrf(_ client: some TestClientProtocol) async throws -> String {
        let page = try await client.execute(uri: "/manage?token=\(token)", method: .get)
        let html = page.text
        let marker = #"name="csrf" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ fields: [String: String]) async throws
        -> TestResponse
    {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        return try await client.execute(
            uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    @Test("The page lists the pledge; a pause and a cancellation are requested, announced, and shown as requested")
    func requests() async throws {
        try await service.application.test(.router) { client in
            let page = try await client.execute(uri: "/manage?token=\(token)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("5.00 USD"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            let csrf = try await csrf(client)
            let paused = try await post(
                client, "/manage/pause", ["token": token, "csrf": csrf, "pledge": pledge.id.rawValue, "months": "2"])
            #expect(paused.status == .seeOther, "\(paused.text)")
            #expect(paused.headers[.location]?.hasPrefix("/manage?token=") == true)
            let cancelled = try await post(
                client, "/manage/cancel",
                [
                    "token": token, "csrf": csrf, "pledge": pledge.id.rawValue, "reason": "too_expensive",
                    "note": "tight",
                ])
            #expect(cancelled.status == .seeOther)
            let again = try await client.execute(uri: "/manage?token=\(token)", method: .get)
            #expect(again.text.contains("Pause requested; Cancellation requested"))
        }
        let events = try await service.ledger.app.events.list(limit: 100).map(\.type)
        #expect(events.contains(.pledgePauseRequested))
        #expect(events.contains(.pledgeCancelRequested))
        #expect(try await service.ledger.app.pledges.pledge(id: pledge.id).status == .active)
    }

    @Test("A forged or missing CSRF token, another's pledge, a bad link and a broken rule change nothing")
    func refusals() async throws {
        let other = try await service.ledger.app.pledges.record(
            PledgeRequest(email: "other@example.org", amount: usd("9.00"), cadence: .monthly))
        let before = try await service.ledger.store.read { try $0.rowCounts() }
        try await service.application.test(.router) { client in
            let csrf = try await csrf(client)
            let forged = try await post(
                client, "/manage/pause", ["token": token, "csrf": "x", "pledge": pledge.id.rawValue, "months": "1"])
            #expect(forged.status == .forbidden)
            let notTheirs = try await post(
                client, "/manage/cancel",
                ["token": token, "csrf": csrf, "pledge": other.id.rawValue, "reason": "other"])
            #expect(notTheirs.status == .badRequest)
            let badLink = try await post(
                client, "/manage/pause",
                ["token": BoxTesting.tamper(token), "csrf": csrf, "pledge": pledge.id.rawValue, "months": "1"])
            #expect(badLink.status == .badRequest)
            let tooSmall = try await post(
                client, "/manage/change",
                ["token": token, "csrf": csrf, "pledge": pledge.id.rawValue, "amount": "1.00", "currency": "USD"])
            #expect(tooSmall.status == .unprocessableContent)
            #expect(tooSmall.text.contains("at least 2.00 USD"))
            let fourMonths = try await post(
                client, "/manage/pause", ["token": token, "csrf": csrf, "pledge": pledge.id.rawValue, "months": "4"])
            #expect(fourMonths.status == .unprocessableContent)
            let json = try await client.execute(
                uri: "/manage/pause", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(json.status == .unsupportedMediaType)
        }
        #expect(try await service.ledger.store.read { try $0.rowCounts() } == before)
    }

    @Test("Asking twice sends once; a '+' typed in the note stays a '+'; erasure forgets the note everywhere")
    func twiceAndErasure() async throws {
        try await service.application.test(.router) { client in
            let csrf = try await csrf(client)
            for _ in 0..<2 {
                let cancelled = try await post(
                    client, "/manage/cancel",
                    [
                        "token": token, "csrf": csrf, "pledge": pledge.id.rawValue, "reason": "other",
                        "note": "C++ and more",
                    ])
                #expect(cancelled.status == .seeOther)
            }
        }
        let app = service.ledger.app
        let events = try await app.events.list(type: .pledgeCancelRequested)
        #expect(events.count == 1)
        #expect(try events.first?.decodedData().request?.note == "C++ and more")
        let open = try await service.ledger.store.read { try $0.openSupporterRequests(pledgeIDs: [pledge.id]) }
        #expect(open.count == 1)
        _ = try await app.operations.erase(email: "me@example.org")
        let erased = try #require(try await app.events.list(type: .pledgeCancelRequested).first)
        #expect(try erased.decodedData().request?.note == nil)
        #expect(!erased.body.contains("C++"))
        let kept = try await service.ledger.store.read { try $0.openSupporterRequests(pledgeIDs: [pledge.id]) }
        guard case .cancel(_, let note) = kept.first?.kind else {
            Issue.record("the request is gone")
            return
        }
        #expect(note == nil)
    }

    @Test("The statement from the link speaks the page's language")
    func statementLanguage() async throws {
        try await service.application.test(.router) { client in
            let russian = try await client.execute(
                uri: "/manage/statement?token=\(token)&year=2026&lang=ru", method: .get)
            #expect(russian.status == .ok)
            #expect(russian.text.contains(#"<html lang="ru">"#))
            #expect(russian.text.contains("Справка о пожертвованиях"))
            #expect(russian.text.contains("5.00"))
            let english = try await client.execute(uri: "/manage/statement?token=\(token)&year=2026", method: .get)
            #expect(english.text.contains("Giving statement"))
            #expect(!english.text.contains("Справка"))
        }
    }

    @Test("A change request is confirmed by the amount it asked for, not by another")
    func changeConfirmation() async throws {
        let app = service.ledger.app
        guard case .success(let page) = try await app.supporters.page(token: token) else {
            Issue.record("the page did not open")
            return
        }
        _ = try await app.supporters.request(
            token: token, csrf: page.csrf, pledgeID: pledge.id, .change(amount: usd("7.00"), cadence: nil))
        let open = { try await service.ledger.store.read { try $0.openSupporterRequests(pledgeIDs: [pledge.id]) } }
        _ = try await app.pledges.changeAmount(id: pledge.id, amount: usd("8.00"))
        #expect(try await open().count == 1)
        _ = try await app.pledges.changeAmount(id: pledge.id, amount: usd("7.00"))
        #expect(try await open().isEmpty)
    }

    @Test("The processor's cancellation confirms the supporter's cancel request")
    func confirmation() async throws {
        try await service.application.test(.router) { client in
            let csrf = try await csrf(client)
            _ = try await post(
                client, "/manage/cancel",
                ["token": token, "csrf": csrf, "pledge": pledge.id.rawValue, "reason": "other"])
        }
        let open = { try await service.ledger.store.read { try $0.openSupporterRequests(pledgeIDs: [pledge.id]) } }
        #expect(try await open().count == 1)
        _ = try await service.ledger.app.pledges.cancel(id: pledge.id)
        #expect(try await open().isEmpty)
        #expect(try await service.ledger.app.pledges.pledge(id: pledge.id).status == .cancelled)
    }
}
