import Foundation
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerStore
import PledgerTestSupport
import Testing

/// A supporter's own link: signed, one purpose, expiring, revocable, and showing only their records.
@Suite("Supporter links")
struct SupporterLinkTests {
    static let start = instant("2026-11-20T12:00:00Z")
    static let secret = "a-link-secret-of-at-least-32-characters"

    let clock = SettableClock(Self.start)
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        var config = try PledgerConfig.fromEnvironment([
            "PLEDGER_PUBLIC_URL": "https://pledger.example.org/", "PLEDGER_LINK_SECRET": Self.secret,
        ])
        config.minimums = .default
        ledger = try TemporaryLedger(clock: clock.clock, config: config)
    }

    static func token(_ link: SupporterService.Link?) throws -> String {
        let url = try #require(link?.url)
        return try #require(URLComponents(string: url)?.queryItems?.first { $0.name == "token" }?.value)
    }

    @Test("The link opens the supporter's page: their pledges and payments with receipt numbers, nobody else's")
    func page() async throws {
        let mine = try await app.pledges.record(
            PledgeRequest(email: "me@example.org", amount: usd("5.00"), cadence: .monthly))
        _ = try await app.payments.record(PaymentRequest(pledgeID: mine.id, amount: usd("5.00"), externalID: "pi_me"))
        _ = try await app.pledges.record(
            PledgeRequest(email: "other@example.org", amount: usd("9.00"), cadence: .annual))
        let link = try await app.supporters.requestLink(email: "Me@Example.org", ttl: "2d")
        #expect(link?.url.hasPrefix("https://pledger.example.org/manage?token=") == true)
        #expect(link?.expiresAt == instant("2026-11-22T12:00:00Z"))
        let event = try #require(try await app.events.list(type: .supporterLinkRequested).first)
        #expect(try event.decodedData().link?.url == link?.url)
        #expect(try event.decodedData().supporter?.email == "me@example.org")

        guard case .success(let page) = try await app.supporters.page(token: try Self.token(link)) else {
            Issue.record("the link was refused")
            return
        }
        #expect(page.email == "me@example.org")
        #expect(page.pledges.map(\.id) == [mine.id])
        #expect(page.payments.count == 1)
        #expect(page.payments.first?.receipt?.description == "2026-000001")
    }

    @Test("Unknown e-mails get no link and no event; a refused TTL names the field")
    func unknown() async throws {
        #expect(try await app.supporters.requestLink(email: "nobody@example.org") == nil)
        #expect(try await app.events.list(type: .supporterLinkRequested).isEmpty)
        _ = try await app.pledges.record(PledgeRequest(email: "me@example.org", amount: usd("5.00"), cadence: .monthly))
        let error = await #expect(throws: PledgerError.self) {
            try await app.supporters.requestLink(email: "me@example.org", ttl: "45d")
        }
        #expect(error?.field == "ttl")
    }

    @Test("Tampered, expired, revoked, erased and other-purpose links are refused and show nothing")
    func refusals() async throws {
        _ = try await app.pledges.record(PledgeRequest(email: "me@example.org", amount: usd("5.00"), cadence: .monthly))
        let token = try Self.token(try await app.supporters.requestLink(email: "me@example.org", ttl: "1d"))
        let tampered = BoxTesting.tamper(token)
        #expect(try await app.supporters.page(token: tampered).failure == .badSignature)
        #expect(try await app.supporters.page(token: nil).failure == .malformed)

        clock.set(instant("2026-11-21T12:00:00Z"))
        #expect(try await app.supporters.page(token: token).failure == .expired)

        clock.set(Self.start)
        let fresh = try Self.token(try await app.supporters.requestLink(email: "me@example.org"))
        _ = try await app.supporters.revokeLinks(email: "me@example.org")
        #expect(try await app.supporters.page(token: fresh).failure == .badSignature)
        let afterRevoke = try Self.token(try await app.supporters.requestLink(email: "me@example.org"))
        #expect(try await app.supporters.page(token: afterRevoke).isSuccess)
        _ = try await app.operations.erase(email: "me@example.org")
        #expect(try await app.supporters.page(token: afterRevoke).failure == .badSignature)
    }

    @Test("After a key rotation, links signed with the previous key still open while it is listed")
    func rotation() async throws {
        _ = try await app.pledges.record(PledgeRequest(email: "me@example.org", amount: usd("5.00"), cadence: .monthly))
        let old = try Self.token(try await app.supporters.requestLink(email: "me@example.org"))
        let newSecret = "a-new-link-secret-of-32-characters-or-more"
        let rotated = Pledger(
            store: ledger.store, clock: clock.clock,
            config: try PledgerConfig.fromEnvironment([
                "PLEDGER_LINK_SECRET": newSecret, "PLEDGER_LINK_SECRET_PREVIOUS": Self.secret,
            ]))
        #expect(try await rotated.supporters.page(token: old).isSuccess)
        let dropped = Pledger(
            store: ledger.store, clock: clock.clock,
            config: try PledgerConfig.fromEnvironment(["PLEDGER_LINK_SECRET": newSecret]))
        #expect(try await dropped.supporters.page(token: old).failure == .badSignature)
        #expect(throws: PledgerError.self) {
            try PledgerConfig.fromEnvironment(["PLEDGER_LINK_SECRET": "short"])
        }
    }
}

/// The monthly report counts why supporters cancelled from their page, and which cancellations the
/// processor confirmed.
@Suite("Cancellation reasons in the monthly report")
struct CancellationReasonReportTests {
    @Test("Requests per reason in the month; a confirmed one counts as confirmed; every format shows them")
    func reasons() async throws {
        let clock = SettableClock(instant("2026-11-03T10:00:00Z"))
        let ledger = try TemporaryLedger(
            clock: clock.clock,
            config: try PledgerConfig.fromEnvironment(["PLEDGER_PUBLIC_URL": "https://p.example.org"]))
        let app = ledger.app
        var pledges: [ID<Pledge>] = []
        for (n, email) in ["a@example.org", "b@example.org", "c@example.org"].enumerated() {
            let pledge = try await app.pledges.record(
                PledgeRequest(email: email, amount: usd("5.00"), cadence: .monthly))
            _ = try await app.payments.record(
                PaymentRequest(pledgeID: pledge.id, amount: usd("5.00"), externalID: "pi_\(n)"))
            pledges.append(pledge.id)
        }
        for (index, reason) in [CancellationReason.tooExpensive, .tooExpensive, .unhappyWithCoverage].enumerated() {
            let email = ["a@example.org", "b@example.org", "c@example.org"][index]
            let link = try #require(try await app.supporters.requestLink(email: email))
            let token = try #require(URLComponents(string: link.url)?.queryItems?.first { $0.name == "token" }?.value)
            guard case .success(let page) = try await app.supporters.page(token: token) else {
                Issue.record("the page did not open")
                return
            }
            _ = try await app.supporters.request(
                token: token, csrf: page.csrf, pledgeID: pledges[index], .cancel(reason: reason, note: nil))
        }
        // The processor confirms one of the two "too expensive" requests within the month.
        clock.set(instant("2026-11-10T10:00:00Z"))
        _ = try await app.pledges.cancel(id: pledges[0])
        clock.set(instant("2026-12-02T10:00:00Z"))
        let report = try await app.reports.monthly(month: try ReportMonth.parse("2026-11"))
        let lines = Dictionary(uniqueKeysWithValues: report.cancellationReasons.reasons.map { ($0.reason, $0) })
        #expect(lines["too_expensive"]?.requested == 2)
        #expect(lines["too_expensive"]?.confirmed == 1)
        #expect(lines["unhappy_with_coverage"]?.requested == 1)
        #expect(lines["unhappy_with_coverage"]?.confirmed == 0)
        #expect(lines["other"]?.requested == 0)
        #expect(report.cancellationReasons.reasons.count == CancellationReason.allCases.count)
        #expect(report.rendered(as: .csv).contains("cancellation_reasons,too_expensive_requested,2,count"))
        #expect(report.rendered(as: .markdown).contains("| too_expensive | 2 | 1 |"))
        #expect(report.rendered(as: .html).contains("Why supporters cancelled"))
        #expect(report.rendered(as: .table).contains("Why supporters cancelled"))
        let october = try await app.reports.monthly(month: try ReportMonth.parse("2026-10"))
        #expect(october.cancellationReasons.isEmpty)
        #expect(!october.rendered(as: .table).contains("Why supporters cancelled"))
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
