import Foundation
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerRender
import PledgerTestSupport
import Testing

/// Giving statements, receipts from a supporter's link and the lapsed report, over a small history
/// entered through the real use cases, with every expected figure worked out by hand below.
///
/// - Alice, USD monthly 10.00: paid 2024-03-05, 2025-06-05, 2026-01-05, 2026-02-05 (4.00 of it
///   refunded 2026-02-20), 2026-12-31 23:30 UTC, 2027-01-05.
/// - Bob, EUR one-off 50.00: paid 2025-11-10, refunded in full 2026-01-03.
/// - Carol, USD annual 100.00: paid 2024-07-01, never again.
/// - Dave, USD monthly 5.00: paid 2025-03-01 and 2025-04-01; the April payment charged back 2025-04-20.
/// - Erin, EUR monthly 20.00: paid 2026-03-01, charged back 2026-03-15.
@Suite("Giving statements, receipts and lapsed supporters")
struct StatementTests {
    static let now = instant("2027-02-15T12:00:00Z")
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        var config = try PledgerConfig.fromEnvironment([
            "PLEDGER_PUBLIC_URL": "https://pledger.example.org",
            "PLEDGER_LINK_SECRET": "a-link-secret-of-at-least-32-characters",
        ])
        config.minimums = .default
        ledger = try TemporaryLedger(now: Self.now, config: config)
    }

    private func pledge(_ email: String, _ amount: Money, _ cadence: Cadence, at: String) async throws -> ID<Pledge> {
        try await app.pledges.record(PledgeRequest(email: email, amount: amount, cadence: cadence, at: instant(at))).id
    }

    private func pay(_ pledge: ID<Pledge>, _ amount: Money, _ id: String, at: String) async throws -> Payment {
        try await app.payments.record(
            PaymentRequest(pledgeID: pledge, amount: amount, processor: "stripe", externalID: id, at: instant(at)))
    }

    private func reverse(_ kind: Reversal.Kind, _ payment: String, _ amount: Money?, at: String) async throws {
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: kind, paymentExternalID: payment, processor: "stripe", amount: amount, at: instant(at)))
    }

    /// The history above; returns Alice's payments by external id.
    @discardableResult
    private func history() async throws -> [String: Payment] {
        var payments: [String: Payment] = [:]
        let alice = try await pledge("alice@example.org", usd("10.00"), .monthly, at: "2024-03-05T09:00:00Z")
        for (id, at) in [
            ("pi_a1", "2024-03-05T09:01:00Z"), ("pi_a2", "2025-06-05T09:00:00Z"), ("pi_a3", "2026-01-05T09:00:00Z"),
            ("pi_a4", "2026-02-05T09:00:00Z"), ("pi_a5", "2026-12-31T23:30:00Z"), ("pi_a6", "2027-01-05T09:00:00Z"),
        ] {
            payments[id] = try await pay(alice, usd("10.00"), id, at: at)
        }
        try await reverse(.refund, "pi_a4", usd("4.00"), at: "2026-02-20T10:00:00Z")
        let bob = try await pledge("bob@example.org", eur("50.00"), .oneOff, at: "2025-11-10T10:00:00Z")
        _ = try await pay(bob, eur("50.00"), "pi_b1", at: "2025-11-10T10:01:00Z")
        try await reverse(.refund, "pi_b1", nil, at: "2026-01-03T10:00:00Z")
        let carol = try await pledge("carol@example.org", usd("100.00"), .annual, at: "2024-07-01T10:00:00Z")
        _ = try await pay(carol, usd("100.00"), "pi_c1", at: "2024-07-01T10:01:00Z")
        let dave = try await pledge("dave@example.org", usd("5.00"), .monthly, at: "2025-03-01T10:00:00Z")
        _ = try await pay(dave, usd("5.00"), "pi_d1", at: "2025-03-01T10:01:00Z")
        _ = try await pay(dave, usd("5.00"), "pi_d2", at: "2025-04-01T10:01:00Z")
        try await reverse(.chargeback, "pi_d2", nil, at: "2025-04-20T10:00:00Z")
        let erin = try await pledge("erin@example.org", eur("20.00"), .monthly, at: "2026-03-01T10:00:00Z")
        _ = try await pay(erin, eur("20.00"), "pi_e1", at: "2026-03-01T10:01:00Z")
        try await reverse(.chargeback, "pi_e1", nil, at: "2026-03-15T10:00:00Z")
        return payments
    }

    @Test("A calendar year: each booking counts in the year it was booked, refunds and chargebacks netted per currency")
    func calendarYear() async throws {
        try await history()
        let alice = try await app.statements.statement(email: "alice@example.org", year: FiscalYear(year: 2026))
        // 2026-01-05, 2026-02-05 and 2026-12-31 23:30 UTC; 4.00 of February refunded.
        #expect(
            alice.currencies == [
                GivingStatement.Totals(
                    currency: "USD", payments: 3, gross: 3000, refunded: 400, chargedBack: 0, net: 2600)
            ])
        #expect(alice.lines.map(\.date) == ["2026-01-05", "2026-02-05", "2026-02-20", "2026-12-31"])
        #expect(alice.lines.map(\.amount) == [1000, 1000, -400, 1000])
        #expect(alice.lines[2].kind == .refund)
        #expect(alice.lines[2].receipt == alice.lines[1].receipt)
        #expect(alice.lines[0].receipt?.hasPrefix("2026-") == true)
        #expect((alice.from, alice.to, alice.fiscalYear) == ("2026-01-01", "2026-12-31", "2026"))

        // Bob's 2025 gift was refunded in 2026: 2025 keeps the gift, 2026 carries the refund.
        let bob2025 = try await app.statements.statement(email: "bob@example.org", year: FiscalYear(year: 2025))
        let bob2026 = try await app.statements.statement(email: "bob@example.org", year: FiscalYear(year: 2026))
        #expect(bob2025.currencies.map(\.net) == [5000])
        #expect(bob2026.currencies.map { [$0.gross, $0.refunded, $0.net] } == [[0, 5000, -5000]])
        let erin = try await app.statements.statement(email: "erin@example.org", year: FiscalYear(year: 2026))
        #expect(erin.currencies.map { [$0.gross, $0.chargedBack, $0.net] } == [[2000, 2000, 0]])

        let csv = alice.csv.split(separator: "\n").map(String.init)
        #expect(csv.count == 1 + 4 + 1)
        #expect(
            csv.last
                == "\(alice.supporterID),alice@example.org,2026,2026-01-01,2026-12-31,total,,,,,,USD,,30.00,4.00,0.00,26.00"
        )
        #expect(csv[3].contains(",line,2026-02-20,refund,") && csv[3].contains(",USD,-4.00,"))
        #expect(alice.html.contains("Fiscal year 2026") && alice.html.contains("26.00"))

        let unknown = await #expect(throws: PledgerError.self) {
            _ = try await app.statements.statement(email: "nobody@example.org", year: FiscalYear(year: 2026))
        }
        #expect(unknown?.field == "email")
    }

    @Test("A fiscal year from April is named by the year it starts in and runs to the end of March (UTC)")
    func fiscalYearFromApril() async throws {
        try await history()
        let year = try FiscalYear.parse(year: "2025", startMonth: "04")
        #expect((year.firstDay, year.lastDay, year.description) == ("2025-04-01", "2026-03-31", "2025/26"))
        let alice = try await app.statements.statement(email: "alice@example.org", year: year)
        // 2025-06-05, 2026-01-05, 2026-02-05 and the 4.00 refund; 2026-12-31 belongs to 2026/27.
        #expect(alice.currencies.map { [$0.payments, $0.gross, $0.refunded, $0.net] } == [[3, 3000, 400, 2600]])
        let dave = try await app.statements.statement(email: "dave@example.org", year: year)
        // Dave's 2025-03-01 payment falls in 2024/25; April's payment and its chargeback in 2025/26.
        #expect(dave.currencies.map { [$0.gross, $0.chargedBack, $0.net] } == [[500, 500, 0]])
    }

    @Test(
        "All of a year's statements sum, per currency, to its donation income less refunds and chargebacks in the hledger export"
    )
    func reconcilesWithExport() async throws {
        try await history()
        for year in [FiscalYear(year: 2025), FiscalYear(year: 2026), FiscalYear(year: 2025, startMonth: 4)] {
            try await reconcile(year, expected: nil)
        }
        // By hand for 2026: USD 10 + 10 − 4 + 10 = 26.00; EUR −50 (Bob's refund) + 20 − 20 (Erin) = −50.00.
        try await reconcile(FiscalYear(year: 2026), expected: ["USD": 2600, "EUR": -5000])
    }

    @Test("The reconciliation holds over a generated year of demo history too")
    func reconcilesOverDemo() async throws {
        let demo = try TemporaryLedger(now: instant("2026-11-20T12:00:00Z"))
        _ = try await DemoHistory(supporters: 80, seed: 7).generate(into: demo.app)
        for year in [FiscalYear(year: 2026), FiscalYear(year: 2025, startMonth: 7)] {
            try await Self.reconcile(demo, year, expected: nil)
        }
    }

    private func reconcile(_ year: FiscalYear, expected: [String: Int64]?) async throws {
        try await Self.reconcile(ledger, year, expected: expected)
    }

    /// Sums the year's statements per currency and compares them with the export's income accounts
    /// over the same days (read from the journal's text, and by hledger when it is installed).
    static func reconcile(_ ledger: TemporaryLedger, _ year: FiscalYear, expected: [String: Int64]?) async throws {
        let statements = try await ledger.app.statements.statements(year: year)
        var fromStatements: [String: Int64] = [:]
        for statement in statements {
            for total in statement.currencies { fromStatements[total.currency, default: 0] += total.net }
        }
        if let expected { #expect(fromStatements == expected) }
        let (start, end) = year.interval
        let collected = Collected()
        _ = try await ledger.app.exports.export(as: .hledger, from: start, to: end) { collected.append($0) }
        let journal = collected.text
        // Income postings are credits (negative); what supporters gave, net, is their negation.
        var income: [String: Int64] = [:]
        for line in journal.split(separator: "\n") where line.hasPrefix(" ") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, fields[0].hasPrefix("income:") else { continue }
            let code = String(fields[2])
            let currency = try #require(Currency(code: code))
            let text = String(fields[1])
            let magnitude = try Money.parse(text.hasPrefix("-") ? String(text.dropFirst()) : text, currency: currency)
            income[code, default: 0] += text.hasPrefix("-") ? magnitude.minorUnits : -magnitude.minorUnits
        }
        #expect(fromStatements.filter { $0.value != 0 } == income.filter { $0.value != 0 }, "\(year)")
        #expect(!fromStatements.isEmpty, "\(year)")

        guard let hledger = AccountingTool.hledger else { return }
        let file = ledger.directory.appending(path: "statements-\(year.year)-\(year.startMonth).journal")
        try journal.write(to: file, atomically: true, encoding: .utf8)
        let balance = try AccountingTool.run(
            hledger,
            [
                "-f", file.path, "balance", "income", "-b", year.firstDay, "-e", year.next.firstDay, "--depth", "1",
                "--no-total", "--layout", "bare", "--output-format", "csv",
            ])
        #expect(balance.status == 0, "\(balance.stderr)")
        var fromHledger: [String: Int64] = [:]
        for line in balance.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 3, let currency = Currency(code: fields[1]) else { continue }
            let negative = fields[2].hasPrefix("-")
            let magnitude = try Money.parse(negative ? String(fields[2].dropFirst()) : fields[2], currency: currency)
            fromHledger[fields[1]] = negative ? magnitude.minorUnits : -magnitude.minorUnits
        }
        #expect(!fromHledger.isEmpty, "hledger, \(year)")
        #expect(fromStatements.filter { $0.value != 0 } == fromHledger.filter { $0.value != 0 }, "hledger, \(year)")
    }

    @Test("Lapsed: LYBUNT gave last year and not this one, SYBUNT gave before that and not since, per currency")
    func lapsed() async throws {
        try await history()
        let report = try await app.statements.lapsed(year: FiscalYear(year: 2026))
        // Bob: EUR 50.00 in 2025, −50.00 in 2026 → LYBUNT. Dave: USD 5.00 net in 2025 → LYBUNT.
        // Carol: USD 100.00 in 2024 only → SYBUNT. Alice gave in 2026; Erin's 2026 nets to zero.
        let rows = report.supporters.map { [$0.email ?? "", $0.currency, $0.category.rawValue] }
        #expect(
            rows == [
                ["bob@example.org", "EUR", "lybunt"], ["dave@example.org", "USD", "lybunt"],
                ["carol@example.org", "USD", "sybunt"],
            ])
        let bob = try #require(report.supporters.first)
        #expect((bob.lastGiftYear, bob.lastGiftYearGiven, bob.lifetimeGiven) == (2025, 5000, 0))
        let usd = try #require(report.currencies.first { $0.currency == "USD" })
        #expect(usd.lybunt == LapsedReport.Group(supporters: 1, lastGiftYearGiven: 500, lifetimeGiven: 500))
        #expect(usd.sybunt == LapsedReport.Group(supporters: 1, lastGiftYearGiven: 10000, lifetimeGiven: 10000))

        // In 2027 (under way): Alice gave; everyone else last gave before 2026 → SYBUNT.
        let next = try await app.statements.lapsed(year: FiscalYear(year: 2027))
        #expect(next.supporters.allSatisfy { $0.category == .sybunt })
        #expect(
            Set(next.supporters.compactMap(\.email)) == ["bob@example.org", "carol@example.org", "dave@example.org"])

        for format in ReportFormat.allCases {
            let text = report.rendered(as: format)
            #expect(text.contains("dave@example.org"), "\(format)")
        }
        #expect(report.csv.contains("2026,01,summary,lybunt,USD,,,1,,5.00,5.00"))
        let future = await #expect(throws: PledgerError.self) {
            _ = try await app.statements.lapsed(year: FiscalYear(year: 2028))
        }
        #expect(future?.field == "year")
    }

    @Test("Statement and lapsed JSON match their schemas in docs/, erased supporters too")
    func jsonMatchesSchemas() async throws {
        try await history()
        _ = try await app.operations.erase(email: "carol@example.org")
        let schemas = try SchemaValidator(
            directory: fixturesDirectory().deletingLastPathComponent().appending(path: "docs"))
        let lapsed = try await app.statements.lapsed(year: FiscalYear(year: 2026))
        #expect(lapsed.supporters.contains { $0.email == nil })
        var documents = [("lapsed-report.schema.json", lapsed.rendered(as: .json))]
        for statement in try await app.statements.statements(year: FiscalYear(year: 2024, startMonth: 7)) {
            documents.append(("giving-statement.schema.json", JSONText.encode(statement)))
        }
        #expect(documents.count == 4)  // the report, and Alice, Carol (erased) and Dave from July 2024 to June 2025
        for (file, json) in documents {
            let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
            #expect(try schemas.validate(value, against: file) == [], "\(file)")
        }
    }

    @Test(
        "A receipt from the supporter's link: number, amount, refunded so far; another supporter's payment is refused")
    func receipts() async throws {
        let payments = try await history()
        let link = try #require(try await app.supporters.requestLink(email: "alice@example.org"))
        let token = try #require(URLComponents(string: link.url)?.queryItems?.first { $0.name == "token" }?.value)
        let refunded = try #require(payments["pi_a4"])
        guard
            case .success(let receipt) = try await app.supporters.receipt(token: token, paymentID: refunded.id.rawValue)
        else {
            Issue.record("the receipt was refused")
            return
        }
        #expect(receipt.payment.amount == usd("10.00"))
        #expect(receipt.refunded == usd("4.00"))
        #expect(receipt.chargedBack == usd("0.00"))
        #expect(receipt.email == "alice@example.org")
        #expect(receipt.number?.year == 2026)

        let carolsPayment = try #require(
            try await app.payments.reverse(
                ReversalRequest(kind: .refund, paymentExternalID: "pi_c1", processor: "stripe", amount: usd("1.00"))
            ).paymentID)
        let foreign = try await app.supporters.receipt(token: token, paymentID: carolsPayment.rawValue)
        #expect(throws: LinkToken.Refusal.self) { try foreign.get() }
        let tampered = try await app.supporters.receipt(token: token + "x", paymentID: refunded.id.rawValue)
        #expect(throws: LinkToken.Refusal.self) { try tampered.get() }

        guard case .success(let statement) = try await app.supporters.statement(token: token, year: "2026") else {
            Issue.record("the statement was refused")
            return
        }
        #expect(statement.currencies.map(\.net) == [2600])
        let future = try await app.supporters.statement(token: token, year: "2030")
        #expect(throws: LinkToken.Refusal.self) { try future.get() }
    }
}

/// Rules of Core, alone.
@Suite("Statement and lapsed rules")
struct StatementRuleTests {
    @Test("Fiscal years: parsing, bounds in UTC, the year an instant falls in")
    func fiscalYears() throws {
        #expect(try FiscalYear.parse(year: "2026").interval.start == instant("2026-01-01T00:00:00Z"))
        let april = try FiscalYear.parse(year: "2026", startMonth: "4")
        #expect(april.interval.end == instant("2027-04-01T00:00:00Z"))
        #expect(FiscalYear.containing(instant("2027-03-31T23:59:59Z"), startMonth: 4) == april)
        #expect(FiscalYear.containing(instant("2027-04-01T00:00:00Z"), startMonth: 4) == april.next)
        #expect(throws: PledgerError.self) { try FiscalYear.parse(year: "26") }
        #expect(throws: PledgerError.self) { try FiscalYear.parse(year: "2026", startMonth: "13") }
    }

    @Test("LYBUNT and SYBUNT never overlap, and a zero or negative year is no gift")
    func categories() {
        #expect(LapsedReport.category(nets: [2025: 100], year: 2026) == .lybunt)
        #expect(LapsedReport.category(nets: [2024: 100], year: 2026) == .sybunt)
        #expect(LapsedReport.category(nets: [2024: 100, 2025: 0, 2026: -5], year: 2026) == .sybunt)
        #expect(LapsedReport.category(nets: [2025: 100, 2026: 1], year: 2026) == nil)
        #expect(LapsedReport.category(nets: [2026: 0], year: 2026) == nil)
        #expect(LapsedReport.category(nets: [:], year: 2026) == nil)
    }

    @Test("A statement keeps only its year's bookings and refuses a total past Int64")
    func statementBuild() throws {
        let entry = { (at: String, amount: Int64) in
            GivingStatement.Entry(
                kind: .payment, paymentID: "py_1", receipt: nil, cadence: .oneOff,
                amount: Money(minorUnits: amount, currency: .usd), occurredAt: instant(at))
        }
        let statement = try GivingStatement.build(
            supporterID: "sp_1", email: nil, year: FiscalYear(year: 2026),
            entries: [entry("2025-12-31T23:59:59Z", 5), entry("2026-06-01T00:00:00Z", 7)], generatedAt: .now)
        #expect(statement.currencies.map(\.net) == [7])
        #expect(throws: PledgerError.self) {
            _ = try GivingStatement.build(
                supporterID: "sp_1", email: nil, year: FiscalYear(year: 2026),
                entries: [entry("2026-01-01T00:00:00Z", .max), entry("2026-02-01T00:00:00Z", 1)], generatedAt: .now)
        }
    }
}
