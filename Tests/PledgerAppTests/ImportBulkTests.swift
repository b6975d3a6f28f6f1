import Foundation
import GRDB
import PledgerCore
import PledgerImport
import PledgerStore
import PledgerTestSupport
import Testing

@testable import PledgerApp

/// The import's bulk paths (a batch's customers, subscriptions and subscription charges written with
/// multi-row inserts, final states decided on the run's pledges) against its per-row path: the same
/// ledger, and a bad row refused alone.
@Suite("Import: bulk and per-row booking")
struct ImportBulkTests {
    static let now = instant("2026-11-25T00:00:00Z")
    static var directory: URL { fixturesDirectory().appending(path: "import/stripe") }

    static func request(payments: URL = directory.appending(path: "payments.csv"), batchSize: Int = 500)
        -> StripeImportRequest
    {
        StripeImportRequest(
            customers: directory.appending(path: "customers.csv"),
            subscriptions: directory.appending(path: "subscriptions.csv"), payments: payments, batchSize: batchSize)
    }

    /// What the ledger holds, without the ids and instants each run makes anew: every payment, ledger
    /// transaction with its postings, pledge, pledge event and processor reference, named by the
    /// processor's ids.
    static func content(of ledger: TemporaryLedger) throws -> [String] {
        let queries = [
            """
            SELECT 'payment', p.processor, p.external_id, p.amount, p.fee, p.currency, p.cadence, p.occurred_at,
                   pl.processor_ref, s.email
            FROM payment_facts p LEFT JOIN pledges pl ON pl.id = p.pledge_id
            LEFT JOIN supporters s ON s.id = p.supporter_id
            """,
            """
            SELECT 'transaction', t.kind, t.processor, t.external_id, t.occurred_at,
                   (SELECT group_concat(line || ' ' || name || ' ' || currency || ' ' || amount, '; ')
                    FROM (SELECT * FROM ledger_postings JOIN ledger_accounts a ON a.id = account_id
                          WHERE transaction_seq = t.seq ORDER BY line))
            FROM ledger_transactions t
            """,
            """
            SELECT 'pledge', pl.processor, pl.processor_ref, pl.cadence, pl.amount, pl.currency, pl.status, pl.source,
                   pl.created_at, pl.first_paid_at, pl.cancelled_at, s.email
            FROM pledges pl JOIN supporters s ON s.id = pl.supporter_id
            """,
            """
            SELECT 'pledge event', pl.processor_ref, e.kind, e.occurred_at, e.from_status, e.to_status, e.amount
            FROM pledge_events e JOIN pledges pl ON pl.id = e.pledge_id
            """,
            """
            SELECT 'ref', r.processor, r.ref, pl.processor_ref, p.external_id
            FROM processor_refs r LEFT JOIN pledges pl ON pl.seq = r.pledge_seq LEFT JOIN payment_facts p ON p.seq = r.payment_seq
            """,
            "SELECT 'chain', COUNT(hash) FROM ledger_transactions",
            "SELECT 'outbox', COUNT(*) FROM outbox_events",
            "SELECT 'receipts', COUNT(*) FROM receipt_numbers",
        ]
        return try DatabaseQueue(path: ledger.path).read { db in
            try queries.flatMap { sql in
                try Row.fetchAll(db, sql: sql).map { row in
                    row.databaseValues.map { value in
                        if case .string(let text) = value.storage { return text }
                        return value.isNull ? "-" : value.description
                    }
                    .joined(separator: " | ")
                }
                .sorted()
            }
        }
    }

    @Test("The bulk path and the per-row path book the same ledger, and both verify")
    func samePathsSameLedger() async throws {
        let bulk = try TemporaryLedger(now: Self.now)
        let perRow = try TemporaryLedger(now: Self.now)
        var rowByRow = perRow.app.imports
        rowByRow.bulk = false
        for batchSize in [500, 3] {
            let one = try await bulk.app.imports.stripe(Self.request(batchSize: batchSize))
            let other = try await rowByRow.stripe(Self.request(batchSize: batchSize))
            #expect(one.counts == other.counts)
            #expect(one.refusals == other.refusals)
        }
        let content = try Self.content(of: bulk)
        #expect(content.contains { $0.hasPrefix("payment | stripe | pi_QA1p6 | 500 | 45 | USD | monthly") })
        #expect(content == (try Self.content(of: perRow)))
        #expect(try await bulk.app.operations.verify().holds)
        #expect(try await perRow.app.operations.verify().holds)
    }

    @Test(
        "One bad charge among good ones in a batch: the good ones are booked, the bad one refused, nothing half-written"
    )
    func badRowAmongGood() async throws {
        let ledger = try TemporaryLedger(now: Self.now)
        let file = ledger.directory.appending(path: "payments.csv")
        let header =
            "id,Created (UTC),Amount,Amount Refunded,Currency,Fee,Status,Customer ID,Customer Email,Invoice ID,PaymentIntent ID\n"
        let rows = (1...5).map { month in
            // The third charge's fee is more than the charge: the ledger's rule refuses it.
            "ch_T\(month),2025-0\(month + 1)-05 10:05,5.00,0.00,usd,\(month == 3 ? "9.00" : "0.45"),Paid,cus_QA1alice,"
                + "alice@example.org,in_T\(month),pi_T\(month)\n"
        }
        try Data((header + rows.joined()).utf8).write(to: file)

        let summary = try await ledger.app.imports.stripe(Self.request(payments: file))
        #expect(summary.counts["payments"]?.created == 4)
        #expect(summary.refusals.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["payments.csv:4:Fee"])
        #expect(summary.refusals.first?.reason.contains("more than the payment") == true)
        let content = try Self.content(of: ledger)
        #expect(!content.contains { $0.contains("pi_T3") || $0.contains("ch_T3") || $0.contains("in_T3") })
        #expect(content.filter { $0.hasPrefix("payment | stripe | pi_T") }.count == 4)
        // Each good charge linked by its charge and its invoice, as invoice.paid links them.
        #expect(content.contains("ref | stripe | ch_T4 | sub_QA1monthly | pi_T4"))
        #expect(content.contains("ref | stripe | in_T4 | sub_QA1monthly | pi_T4"))
        let alice = try #require(try await ledger.app.pledges.list(email: "alice@example.org").first)
        #expect(alice.status == .active && alice.firstPaidAt == instant("2025-02-05T10:05:00Z"))
        #expect(try await ledger.app.operations.verify().holds)

        // Run again: everything booked is skipped, the bad row is refused again, nothing changes.
        let again = try await ledger.app.imports.stripe(Self.request(payments: file))
        #expect(again.created == 0 && again.counts["payments"]?.skipped == 4 && again.refused == 1)
        #expect(try Self.content(of: ledger) == content)
    }

    @Test(
        "Customers and subscriptions: bad rows among good ones are refused alone, repeats and shared e-mails as row by row"
    )
    func badPeopleAmongGood() async throws {
        let bulk = try TemporaryLedger(now: Self.now)
        let perRow = try TemporaryLedger(now: Self.now)
        var rowByRow = perRow.app.imports
        rowByRow.bulk = false
        let customers = bulk.directory.appending(path: "customers.csv")
        let subscriptions = bulk.directory.appending(path: "subscriptions.csv")
        try Data(
            """
            id,Email,Created (UTC)
            cus_B1,b1@example.org,2025-01-05 10:00
            cus_B2,not-an-email,2025-01-05 10:01
            cus_B3,B1@example.org,2025-01-05 10:02
            cus_B1,b1@example.org,2025-01-05 10:00
            cus_B4,b4@example.org,2025-01-05 10:03

            """.utf8
        ).write(to: customers)
        let header =
            "id,Customer ID,Customer Email,Currency,Interval,Amount,Status,Created (UTC),Current Period Start (UTC),Canceled At (UTC),Ended At (UTC)\n"
        try Data(
            (header + """
                sub_B1,cus_B1,b1@example.org,usd,month,5.00,active,2025-01-06 10:00,2025-01-06 10:00,,
                sub_B2,cus_B4,b4@example.org,usd,month,2000000.00,active,2025-01-06 10:01,2025-01-06 10:01,,
                sub_B3,cus_B4,b4@example.org,usd,month,10.00,canceled,2025-01-06 10:02,2025-01-06 10:02,2025-03-01 00:00,2025-03-01 00:00
                sub_B4,cus_B9,b9@example.org,eur,year,60.00,past_due,2025-01-06 10:03,2025-01-06 10:03,,
                sub_B1,cus_B1,b1@example.org,usd,month,5.00,active,2025-01-06 10:00,2025-01-06 10:00,,

                """).utf8
        ).write(to: subscriptions)
        for batchSize in [500, 2, 500] {
            let request = StripeImportRequest(
                customers: customers, subscriptions: subscriptions, payments: nil, batchSize: batchSize)
            let one = try await bulk.app.imports.stripe(request)
            let other = try await rowByRow.stripe(request)
            #expect(one.counts == other.counts)
            #expect(one.refusals == other.refusals)
            #expect(
                one.refusals.map { "\($0.file):\($0.line)" } == ["customers.csv:3", "subscriptions.csv:3"])
            #expect(one.refusals.last?.column == "Amount")
        }
        let content = try Self.content(of: bulk)
        #expect(content == (try Self.content(of: perRow)))
        #expect(content.contains { $0.hasPrefix("pledge | stripe | sub_B1 | monthly | 500 | USD | pending") })
        #expect(content.contains { $0.hasPrefix("pledge | stripe | sub_B3 | monthly | 1000 | USD | cancelled") })
        #expect(!content.contains { $0.contains("sub_B2") })
        let b1 = try await bulk.app.pledges.list(email: "b1@example.org")
        #expect(b1.count == 1)
        #expect(try await bulk.app.operations.verify().holds)
        #expect(try await perRow.app.operations.verify().holds)
    }
}
