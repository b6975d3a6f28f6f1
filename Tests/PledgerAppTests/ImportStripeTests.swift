import Foundation
import PledgerApp
import PledgerCore
import PledgerImport
import PledgerStore
import PledgerTestSupport
import PledgerWebhooks
import Testing

/// `pledger import stripe` over the fixtures in `Fixtures/import/stripe/` (Stripe's dashboard column names):
/// what it creates, that the monthly receipts equal the CSV's own totals, that a re-run and a dry run
/// write nothing more, and that live webhooks for the imported objects neither duplicate nor re-book.
@Suite("Import from Stripe's exports")
struct ImportStripeTests {
    static let now = instant("2026-11-25T00:00:00Z")
    static let stripeSecret = "whsec_import_test_secret"

    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(stripeSecrets: [Self.stripeSecret], standardSecrets: [])
        ledger = try TemporaryLedger(now: Self.now, config: config)
    }

    static var directory: URL { fixturesDirectory().appending(path: "import/stripe") }

    static func request(dryRun: Bool = false, batchSize: Int = 500, payments: String = "payments.csv")
        -> StripeImportRequest
    {
        StripeImportRequest(
            customers: directory.appending(path: "customers.csv"),
            subscriptions: directory.appending(path: "subscriptions.csv"),
            payments: directory.appending(path: payments), dryRun: dryRun, batchSize: batchSize)
    }

    func counts() async throws -> [String: Int] {
        try await ledger.store.read { try $0.rowCounts() }
    }

    @Test("The fixtures import whole: supporters, pledges, payments, refunds, the dispute, final states")
    func importsEverything() async throws {
        let summary = try await app.imports.stripe(Self.request(batchSize: 7))
        #expect(summary.refusals == [])
        #expect(summary.counts["supporters"]?.created == 6)  // five customers and a guest payer
        #expect(summary.counts["pledges"]?.created == 7)  // four subscriptions, three one-off gifts
        #expect(summary.counts["payments"]?.created == 16)
        #expect(summary.counts["refunds"]?.created == 2)
        #expect(summary.counts["chargebacks"]?.created == 1)
        #expect(summary.counts["pledge_states"]?.created == 2)  // Bob cancelled, Erin past due
        #expect(summary.notPaid == 1)
        #expect(summary.batches > 1)

        let alice = try #require(try await app.pledges.list(email: "alice@example.org").first)
        #expect(alice.status == .active)
        #expect(alice.cadence == .monthly && alice.amount == usd("5.00"))
        #expect(alice.firstPaidAt == instant("2025-01-05T10:02:00Z"))
        let bob = try #require(try await app.pledges.list(email: "bob@example.org").first)
        #expect(bob.status == .cancelled)
        #expect(bob.cancelledAt == instant("2025-05-15T16:20:00Z"))
        let carol = try #require(try await app.pledges.list(email: "carol@example.org").first)
        #expect(carol.cadence == .annual && carol.amount == usd("120.00"))  // 60.00 × quantity 2
        let erin = try #require(try await app.pledges.list(email: "erin@example.org").first)
        #expect(erin.status == .pastDue && erin.amount == eur("7.50"))
        let dora = try await app.pledges.list(email: "dora@example.org")
        #expect(dora.count == 2 && dora.allSatisfy { $0.cadence == .oneOff && $0.status == .completed })

        // History is not news: no event for the mailer, no receipt number taken.
        #expect(try await app.events.list(limit: 1000).isEmpty)
        #expect(try await counts()["receipt_numbers"] == 0)
        #expect(try await app.operations.verify().holds)
    }

    @Test("Each month's receipts equal the totals computed from the CSV rows themselves")
    func receiptsMatchTheExport() async throws {
        _ = try await app.imports.stripe(Self.request())
        let expected = try Self.receiptsFromCSV()
        #expect(!expected.isEmpty)
        for (month, byCurrency) in expected {
            let report = try await app.reports.monthly(month: try ReportMonth.parse(month), trend: false)
            for (currency, want) in byCurrency {
                let got = report.currencies.first { $0.currency == currency }?.receipts
                #expect(got?.gross == want.gross, "\(month) \(currency) gross")
                #expect(got?.fees == want.fees, "\(month) \(currency) fees")
                #expect(got?.refunds == want.refunds, "\(month) \(currency) refunds")
                #expect(got?.chargebacks == want.chargebacks, "\(month) \(currency) chargebacks")
                #expect(got?.payments == want.count, "\(month) \(currency) payments")
            }
        }
        // Known by hand too: March 2025 in USD is Alice 5 + Bob 10 + Carol 120 + Dora 25.
        #expect(expected["2025-03"]?["USD"]?.gross == 16_000)
    }

    @Test("A second run of the same files creates nothing and counts everything as skipped")
    func reRunIsIdempotent() async throws {
        // An interrupted first run: the customers and subscriptions went in, the payments did not.
        var partial = Self.request()
        partial.payments = nil
        let first = try await app.imports.stripe(partial)
        #expect(first.counts["pledges"]?.created == 4)
        let resumed = try await app.imports.stripe(Self.request())
        #expect(resumed.counts["supporters"]?.skipped == 5)
        #expect(resumed.counts["pledges"]?.skipped == 4)
        #expect(resumed.counts["payments"]?.created == 16)
        let before = try await counts()

        let again = try await app.imports.stripe(Self.request(batchSize: 3))
        #expect(again.created == 0)
        #expect(again.refused == 0)
        #expect(again.counts["payments"]?.skipped == 16)
        #expect(again.counts["refunds"]?.skipped == 2)
        #expect(again.counts["chargebacks"]?.skipped == 1)
        #expect(again.counts["pledge_states"]?.skipped == 2)  // Bob already cancelled, Erin already past due
        #expect(try await counts() == before)
        #expect(try await app.operations.verify().holds)
    }

    @Test("A dry run reports what a real run would create, and writes nothing")
    func dryRunWritesNothing() async throws {
        let before = try await counts()
        let dry = try await app.imports.stripe(Self.request(dryRun: true))
        #expect(dry.dryRun)
        #expect(dry.counts["payments"]?.created == 16)
        #expect(dry.planned.contains { $0.hasPrefix("payment pi_QA1p1: 5.00 USD") })
        #expect(dry.batches == 0)
        #expect(try await counts() == before)
        let real = try await app.imports.stripe(Self.request())
        #expect(real.counts == dry.counts)
    }

    @Test("Bad rows are refused with their file, line, column and reason, and leave nothing behind")
    func refusals() async throws {
        let request = StripeImportRequest(payments: Self.directory.appending(path: "bad/payments.csv"))
        let summary = try await app.imports.stripe(request)
        let found = summary.refusals.map { "\($0.file):\($0.line):\($0.column ?? "-")" }
        #expect(
            found == [
                "payments.csv:2:Currency", "payments.csv:3:Amount", "payments.csv:4:Created (UTC)",
                "payments.csv:5:Customer Email", "payments.csv:8:Invoice ID", "payments.csv:9:Fee",
            ])
        #expect(summary.refusals[0].reason.contains("XYZ"))
        #expect(summary.refusals[1].reason.contains("at most 2 decimals"))
        #expect(summary.refusals[5].reason.contains("more than the payment"))
        // The good row between them (a quoted field over two lines) went in.
        #expect(summary.counts["payments"]?.created == 1)
        // The refused gift's supporter and pledge were undone with it.
        #expect(try await ledger.store.read { try $0.supporter(email: "fee@example.org") } == nil)
        #expect(try await app.pledges.list(email: "fee@example.org").isEmpty)
        #expect(try await app.operations.verify().holds)
    }

    @Test("A missing required column refuses the whole file before anything is written")
    func missingColumn() async throws {
        let file = ledger.directory.appending(path: "payments.csv")
        try Data("id,Created (UTC),Amount,Status\nch_1,2025-01-01 10:00,5.00,Paid\n".utf8).write(to: file)
        await #expect {
            try await app.imports.stripe(StripeImportRequest(payments: file))
        } throws: { error in
            (error as? ImportRefusal)?.description
                == "payments.csv:1: column \"Currency\": the header lacks the column \"Currency\""
        }
        #expect(try await counts()["payments"] == 0)
    }

    // MARK: Live webhooks after the import

    func deliver(_ json: String) async throws -> WebhookResult {
        let body = Array(json.utf8)
        let signature = StripeSignatureScheme.sign(
            body: body, secret: Self.stripeSecret, timestamp: Int64(Self.now.timeIntervalSince1970) - 5)
        return try await app.webhooks.ingest(
            WebhookDelivery(provider: .stripe, headers: [("Stripe-Signature", signature)], body: body))
    }

    static func event(_ id: String, _ type: String, created: Int, _ object: String) -> String {
        """
        {"id": "\(id)", "object": "event", "created": \(created), "type": "\(type)", "data": {"object": \(object)}}
        """
    }

    @Test("Live webhooks for imported objects find them: no second supporter or pledge, nothing booked twice")
    func webhooksAfterImport() async throws {
        _ = try await app.imports.stripe(Self.request())
        let before = try await counts()
        let alice = try #require(try await app.pledges.list(email: "alice@example.org").first)

        // June's invoice for Alice's subscription, already imported under its PaymentIntent.
        let june = try await deliver(
            Self.event(
                "evt_june", "invoice.paid", created: 1_749_117_900,
                """
                {"id": "in_QA1i6", "object": "invoice", "amount_paid": 500, "currency": "usd", "customer": "cus_QA1alice",
                 "charge": "ch_QA1c6", "payment_intent": "pi_QA1p6", "subscription": "sub_QA1monthly",
                 "status_transitions": {"paid_at": 1749117900}}
                """))
        #expect(june.outcome == .processed)
        #expect(june.detail?.contains("already booked") == true)

        // Bob's March charge: 4.00 refunded, imported under the same key charge.refunded uses.
        let refund = try await deliver(
            Self.event(
                "evt_refund", "charge.refunded", created: 1_742_000_000,
                """
                {"id": "ch_QB2c2", "object": "charge", "amount": 1000, "amount_refunded": 400, "currency": "usd",
                 "payment_intent": "pi_QB2p2"}
                """))
        #expect(refund.outcome == .processed)
        #expect(refund.detail?.contains("nothing new") == true)

        // Dora's disputed gift: the export had no dispute id, the webhook brings dp_….
        let dispute = try await deliver(
            Self.event(
                "evt_dispute", "charge.dispute.created", created: 1_743_498_000,
                """
                {"id": "dp_QD4gift", "object": "dispute", "amount": 2500, "currency": "usd", "charge": "ch_QD4gift",
                 "payment_intent": "pi_QD4gift", "balance_transactions": []}
                """))
        #expect(dispute.outcome == .processed)
        #expect(dispute.detail?.contains("already booked by an import") == true)
        let ledgerTables = ["supporters", "pledges", "payments", "reversals", "ledger_transactions"]
        let middle = try await counts()
        #expect(ledgerTables.map { middle[$0] } == ledgerTables.map { before[$0] })

        // July's renewal is new money: booked onto the imported pledge, not a new one.
        let july = try await deliver(
            Self.event(
                "evt_july", "invoice.paid", created: 1_751_709_900,
                """
                {"id": "in_QA1i7", "object": "invoice", "amount_paid": 500, "currency": "usd", "customer": "cus_QA1alice",
                 "charge": "ch_QA1c7", "payment_intent": "pi_QA1p7", "subscription": "sub_QA1monthly",
                 "status_transitions": {"paid_at": 1751709900}}
                """))
        #expect(july.outcome == .processed)
        #expect(july.detail == "booked 5.00 USD for pledge \(alice.id) as pi_QA1p7")
        // Live money after the import is announced, with the year's first receipt number.
        let announced = try await app.events.list(type: .paymentSucceeded)
        #expect(announced.count == 1)
        #expect(try announced.first?.decodedData().payment?.receiptNumber == "2025-000001")

        // Carol's subscription ends: the imported pledge is cancelled.
        let deleted = try await deliver(
            Self.event(
                "evt_deleted", "customer.subscription.deleted", created: 1_760_000_000,
                """
                {"id": "sub_QC3annual", "object": "subscription", "status": "canceled", "ended_at": 1760000000}
                """))
        #expect(deleted.outcome == .processed)
        #expect(try await app.pledges.list(email: "carol@example.org").map(\.status) == [.cancelled])

        let after = try await counts()
        #expect(after["supporters"] == before["supporters"])
        #expect(after["pledges"] == before["pledges"])
        #expect(after["payments"] == before["payments"]! + 1)
        #expect(after["reversals"] == before["reversals"])
        #expect(try await app.operations.verify().holds)
    }

    // MARK: The CSV's own totals

    struct Expected {
        var count: Int64 = 0
        var gross: Int64 = 0
        var fees: Int64 = 0
        var refunds: Int64 = 0
        var chargebacks: Int64 = 0
    }

    /// Month → currency → totals, read from payments.csv with a splitter of the test's own (not the importer's parser).
    static func receiptsFromCSV() throws -> [String: [String: Expected]] {
        let text = try String(contentsOf: directory.appending(path: "payments.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = split(lines[0])
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var totals: [String: [String: Expected]] = [:]
        for line in lines.dropFirst() {
            let fields = split(line)
            let status = fields[column("Status")]
            guard status != "Failed" else { continue }
            let currency = fields[column("Currency")].uppercased()
            let month = String(fields[column("Created (UTC)")].prefix(7))
            func cents(_ name: String) -> Int64 {
                let parts = fields[column(name)].split(separator: ".")
                return parts.isEmpty ? 0 : Int64(parts[0])! * 100 + (parts.count > 1 ? Int64(parts[1])! : 0)
            }
            totals[month, default: [:]][currency, default: Expected()].count += 1
            totals[month, default: [:]][currency, default: Expected()].gross += cents("Amount")
            totals[month, default: [:]][currency, default: Expected()].fees += cents("Fee")
            totals[month, default: [:]][currency, default: Expected()].refunds += cents("Amount Refunded")
            let disputeMonth = String(fields[column("Dispute Date (UTC)")].prefix(7))
            if !disputeMonth.isEmpty {
                totals[disputeMonth, default: [:]][currency, default: Expected()].chargebacks += cents(
                    "Disputed Amount")
            }
        }
        return totals
    }

    /// Splits one CSV line on commas outside double quotes ("" inside quotes is a quote).
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var previous: Character?
        for character in line {
            if character == "\"" {
                if !quoted, previous == "\"" { field.append("\"") }
                quoted.toggle()
            } else if character == ",", !quoted {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
            previous = character
        }
        fields.append(field)
        return fields
    }
}
