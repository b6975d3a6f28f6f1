import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerTestSupport
import Testing

/// The supporter's own pages behind one link: `/manage`, a receipt per payment, the yearly statement.
@Suite("Supporter pages: receipts and statements")
struct SupporterPagesTests {
    /// A service with links configured, Alice's monthly pledge paid twice in 2026 (one payment partly
    /// refunded), Bob's one-off gift, and Alice's link.
    private func scenario() async throws -> (TestService, token: String, alice: [Payment], bob: Payment) {
        let service = try await TestService { config in
            config.publicURL = "https://pledger.example.org"
            config.linkSecrets = ["a-link-secret-of-at-least-32-characters"]
        }
        let app = service.ledger.app
        let pledge = try await app.pledges.record(
            PledgeRequest(
                email: "alice@example.org", amount: usd("7.00"), cadence: .monthly, at: instant("2026-09-01T10:00:00Z"))
        )
        var alice: [Payment] = []
        for (id, at) in [("pi_1", "2026-09-01T10:01:00Z"), ("pi_2", "2026-10-01T10:01:00Z")] {
            alice.append(
                try await app.payments.record(
                    PaymentRequest(pledgeID: pledge.id, amount: usd("7.00"), externalID: id, at: instant(at))))
        }
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .refund, paymentExternalID: "pi_2", amount: usd("2.50"), at: instant("2026-10-05T10:00:00Z")))
        let gift = try await app.pledges.record(
            PledgeRequest(
                email: "bob@example.org", amount: eur("30.00"), cadence: .oneOff, at: instant("2026-10-02T10:00:00Z")))
        let bob = try await app.payments.record(
            PaymentRequest(
                pledgeID: gift.id, amount: eur("30.00"), externalID: "pi_bob", at: instant("2026-10-02T10:01:00Z")))
        let link = try #require(try await app.supporters.requestLink(email: "alice@example.org"))
        let token = try #require(URLComponents(string: link.url)?.queryItems?.first { $0.name == "token" }?.value)
        return (service, token, alice, bob)
    }

    @Test("The page links each payment's receipt; the receipt shows number, amount, refunds; in Russian too")
    func receipt() async throws {
        let (service, token, alice, _) = try await scenario()
        try await service.application.test(.router) { client in
            let page = try await client.execute(uri: "/manage?token=\(token)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("/manage/receipt?token=\(token)&amp;payment=\(alice[1].id.rawValue)"))
            #expect(page.text.contains("/manage/statement?token=\(token)&amp;year=2026"))

            let receipt = try await client.execute(
                uri: "/manage/receipt?token=\(token)&payment=\(alice[1].id.rawValue)", method: .get)
            #expect(receipt.status == .ok)
            #expect(receipt.headers[.contentType] == "text/html; charset=utf-8")
            #expect(receipt.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(receipt.text.contains("<dd>2026-000002</dd>"))
            #expect(receipt.text.contains("<dd>2026-10-01</dd>"))
            #expect(receipt.text.contains("<dd>7.00</dd>") && receipt.text.contains("<dd>USD</dd>"))
            #expect(receipt.text.contains("<dd>2.50</dd>"))  // refunded so far
            #expect(receipt.text.contains("<dd>Monthly</dd>"))
            #expect(receipt.text.contains("alice@example.org"))

            let russian = try await client.execute(
                uri: "/manage/receipt?token=\(token)&payment=\(alice[0].id.rawValue)&lang=ru", method: .get)
            #expect(russian.status == .ok)
            #expect(russian.text.contains("Квитанция 2026-000001"))
            #expect(russian.text.contains("<dd>Ежемесячно</dd>"))
        }
    }

    @Test("Another supporter's payment, an unknown payment or a tampered link: the same 400 page, nothing shown")
    func refusals() async throws {
        let (service, token, alice, bob) = try await scenario()
        try await service.application.test(.router) { client in
            let tampered = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
            for uri in [
                "/manage/receipt?token=\(token)&payment=\(bob.id.rawValue)",
                "/manage/receipt?token=\(token)&payment=py_unknown", "/manage/receipt?token=\(token)",
                "/manage/receipt?token=\(tampered)&payment=\(alice[0].id.rawValue)",
                "/manage/statement?token=\(tampered)&year=2026", "/manage/statement?token=\(token)&year=20x6",
                "/manage/statement?token=\(token)&year=2031", "/manage/statement?token=\(token)",
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.text.contains("This link cannot be used"), "\(uri)")
                #expect(!response.text.contains("bob@example.org") && !response.text.contains("30.00"), "\(uri)")
            }
        }
    }

    @Test("The statement page is the statement pledger statement writes, for the link's supporter only")
    func statement() async throws {
        let (service, token, _, _) = try await scenario()
        let expected = try await service.ledger.app.statements.statement(
            email: "alice@example.org", year: FiscalYear(year: 2026))
        try await service.application.test(.router) { client in
            let response = try await client.execute(uri: "/manage/statement?token=\(token)&year=2026", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            // 7.00 + 7.00 − 2.50 refunded = 11.50 net.
            #expect(expected.currencies.map(\.net) == [1150])
            #expect(response.text == expected.html)
            #expect(response.text.contains("11.50") && !response.text.contains("EUR"))
            let april = try await client.execute(
                uri: "/manage/statement?token=\(token)&year=2026&fiscal_year_start=04", method: .get)
            #expect(april.status == .ok)
            #expect(april.text.contains("Fiscal year 2026/27"))
        }
    }
}
