import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerStoreInterface
import PledgerTestSupport
import Testing

@testable import PledgerStore

/// The report reads receipts from sums kept per quarter-hour as payments and reversals are
/// written (migration 0022). These tests hold the sums to the rows they are kept from: over
/// generated histories, in time zones whose months start on odd quarter-hours, with payments
/// booked out of time order, refunds and chargebacks.
@Suite("Receipt sums agree with the payment and reversal rows")
struct ReceiptSumsTests {
    static let now = instant("2026-11-20T00:00:00Z")

    /// Zones whose month starts fall on every kind of quarter-hour: +05:45, −03:30 (−02:30 in
    /// summer), +05:30, +14:00, −12:00, and one with daylight saving time.
    static let zones = [
        "UTC", "Asia/Kathmandu", "America/St_Johns", "Asia/Kolkata", "Pacific/Kiritimati", "Etc/GMT+12",
        "America/New_York",
    ]

    /// A seeded history (the bulk generator on even seeds, the use-case demo on odd ones), then
    /// payments booked late: dated before payments already booked for the same supporter, some in
    /// the same quarter-hour as another, some exactly at a month's start in one of the zones, some
    /// in a second currency for the same supporter, some with no pledge; then refunds and
    /// chargebacks of a few of them.
    private func history(seed: UInt64) async throws -> TemporaryLedger {
        let ledger = try TemporaryLedger(now: Self.now)
        if seed % 2 == 0 {
            _ = try await BulkDemo(supporters: 300, months: 8, seed: seed).generate(into: ledger.app, now: Self.now)
        } else {
            _ = try await DemoHistory(supporters: 120, seed: seed).generate(into: ledger.app)
        }
        try await bookLate(ledger.app, seed: seed)
        return ledger
    }

    /// Instants a late payment is dated at: month starts in the zones above (and a millisecond
    /// before), and random instants of the last year.
    private func lateInstants(_ rng: inout SeededGenerator) throws -> [Date] {
        var instants: [Date] = []
        for zone in Self.zones {
            var month = ReportMonth(year: 2026, month: 10)
            for _ in 0..<3 {
                let start = month.interval(in: try parseTimeZone(zone)).start
                instants += [start, start.addingTimeInterval(-0.001), start.addingTimeInterval(899.999)]
                month = month.previous
            }
        }
        let from = instant("2025-11-01T00:00:00Z").timeIntervalSince1970
        for _ in 0..<40 {
            instants.append(
                Date(
                    timeIntervalSince1970: from + Double(rng.next(upTo: UInt64(Self.now.timeIntervalSince1970 - from))))
            )
        }
        return instants
    }

    private func bookLate(_ app: Pledger, seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed &+ 17)
        let instants = try lateInstants(&rng)
        let live =
            try await app.pledges.list(status: .active, limit: 5000)
            + (try await app.pledges.list(status: .pastDue, limit: 5000))
        var booked: [String] = []
        for (index, at) in instants.enumerated() {
            let externalID = "late_\(seed)_\(index)"
            switch index % 5 {
            case 0:
                // No pledge: a gift from no known supporter.
                _ = try await app.payments.record(
                    PaymentRequest(pledgeID: nil, amount: usd("7.00"), externalID: externalID, at: at))
            case 1, 2:
                // A supporter with two pledges in two currencies, paying both, out of order.
                let email = "late\(seed)-\(index % 7)@example.org"
                for currency in [Currency.usd, .eur] {
                    let pledge = try await app.pledges.record(
                        PledgeRequest(
                            email: email, amount: Money(minorUnits: 500, currency: currency), cadence: .monthly,
                            at: at.addingTimeInterval(-86_400 * 40)))
                    for (step, offset) in ([0, -600, 300, -86_400 * 3] as [TimeInterval]).enumerated() {
                        let id = "\(externalID)_\(currency.code)_\(step)"
                        _ = try await app.payments.record(
                            PaymentRequest(
                                pledgeID: pledge.id, amount: Money(minorUnits: 500, currency: currency),
                                fee: Money(minorUnits: 30, currency: currency), externalID: id,
                                at: at.addingTimeInterval(offset)))
                        booked.append(id)
                    }
                }
            default:
                guard !live.isEmpty else { continue }
                let pledge = live[Int(rng.next(upTo: UInt64(live.count)))]
                _ = try await app.payments.record(
                    PaymentRequest(
                        pledgeID: pledge.id, amount: pledge.amount, externalID: externalID,
                        at: min(at, Self.now.addingTimeInterval(-1))))
                booked.append(externalID)
            }
        }
        for (index, externalID) in booked.enumerated() where index % 4 == 0 {
            _ = try await app.payments.reverse(
                ReversalRequest(
                    kind: index % 8 == 0 ? .chargeback : .refund, paymentExternalID: externalID,
                    amountText: "1.00", feeText: index % 8 == 0 ? "0.15" : nil,
                    at: Self.now.addingTimeInterval(-Double(index) * 3_600 * 7)))
        }
    }

    /// The thirteen months to `now` in `zone`.
    private func months(_ zone: String) throws -> [(start: Date, end: Date)] {
        let timeZone = try parseTimeZone(zone)
        var month = ReportMonth(year: 2026, month: 11)
        var result: [(start: Date, end: Date)] = []
        for _ in 0..<13 {
            result.insert(month.interval(in: timeZone), at: 0)
            month = month.previous
        }
        return result
    }

    private func receipts(
        _ ledger: TemporaryLedger, _ months: [(start: Date, end: Date)], basis: ReportBasis
    ) async throws -> [[String: MonthlyReport.Receipts]] {
        try await ledger.store.read { try $0.monthFigures(months, detailFrom: 0, basis: basis).map(\.receipts) }
    }

    /// Quarter-hour intervals that are no month of any zone: the receipts still come from the sums.
    private func otherIntervals() -> [[(start: Date, end: Date)]] {
        let day: TimeInterval = 86_400
        let tenth = instant("2026-03-10T06:15:00Z")
        return [
            [
                (tenth, tenth.addingTimeInterval(30 * day)),
                (tenth.addingTimeInterval(30 * day), tenth.addingTimeInterval(61 * day)),
            ],
            [(instant("2026-06-01T00:00:00Z"), instant("2026-08-01T00:00:00Z"))],
            [(instant("2026-05-31T23:45:00Z"), instant("2026-06-01T00:15:00Z"))],
        ]
    }

    @Test(
        "Every month's receipts and paying supporters from the sums equal those from the rows, in every zone",
        arguments: [2, 3] as [UInt64])
    func sumsEqualRows(seed: UInt64) async throws {
        let ledger = try await history(seed: seed)
        var reversalsSeen = false
        for months in otherIntervals() {
            #expect(
                try await receipts(ledger, months, basis: .sums) == (try await receipts(ledger, months, basis: .rows)))
        }
        for zone in Self.zones {
            let months = try months(zone)
            let fromSums = try await receipts(ledger, months, basis: .sums)
            let fromRows = try await receipts(ledger, months, basis: .rows)
            #expect(fromSums == fromRows, "\(zone)")
            reversalsSeen =
                reversalsSeen
                || fromRows.contains {
                    $0.values.contains { $0.refunds > 0 } && $0.values.contains { $0.chargebacks > 0 }
                }
        }
        #expect(reversalsSeen)
        #expect(try await ledger.store.read { try $0.receiptSumBreaches() } == [])
    }

    @Test(
        "A monthly report with its chart is the same whether the chart's months are walked or read from checkpoints",
        arguments: ["UTC", "Asia/Kathmandu", "America/St_Johns"])
    func chartFromCheckpoints(zone: String) async throws {
        let ledger = try await history(seed: 2)
        let timeZone = try parseTimeZone(zone)
        let month = ReportMonth(year: 2026, month: 10)
        // The first report walks every month and keeps their ends; the second reads the chart's from them.
        let walked = try await ledger.app.reports.monthly(month: month, timeZone: timeZone)
        let kept = try await ledger.store.read { try $0.mrrCheckpointInstants() }
        #expect(kept.count >= 12)
        let fromCheckpoints = try await ledger.app.reports.monthly(month: month, timeZone: timeZone)
        #expect(fromCheckpoints == walked)
        #expect(Set((walked.trend ?? []).flatMap { $0.currencies.map(\.mrr) }).count > 4)
        // A payment of a new pledge dated in the chart drops the checkpoints after it; still the same
        // as a walk over every month with none kept.
        let late = try await ledger.app.pledges.record(
            PledgeRequest(
                email: "chart@example.org", amount: usd("12.00"), cadence: .monthly,
                at: instant("2026-02-10T10:00:00Z")))
        _ = try await ledger.app.payments.record(
            PaymentRequest(
                pledgeID: late.id, amount: usd("12.00"), externalID: "pi_chart", at: instant("2026-02-11T10:00:00Z")))
        let afterLate = try await ledger.app.reports.monthly(month: month, timeZone: timeZone)
        try ledger.executeRawSQL("DELETE FROM mrr_checkpoint_totals; DELETE FROM mrr_checkpoints;")
        let rewalked = try await ledger.app.reports.monthly(month: month, timeZone: timeZone)
        #expect(afterLate == rewalked)
        #expect(afterLate != walked)
    }

    @Test("A month that does not start on a quarter-hour is summed from the rows; verify names a damaged sum")
    func damagedSum() async throws {
        let ledger = try await history(seed: 4)
        let months = try months("Asia/Kathmandu")
        let before = try await receipts(ledger, months, basis: .rows)
        // Given a sum raised by one minor unit behind Pledger's back, in the month of 2026-10.
        let october = months[months.count - 2]
        let bucket = try await ledger.store.read { session in
            try #require(
                try session.fetchOne(
                    Int64.self,
                    sql: """
                        SELECT bucket FROM payment_sums WHERE bucket >= ? AND bucket < ? AND currency = 'USD'
                        ORDER BY bucket LIMIT 1
                        """,
                    arguments: [Timestamp.millis(october.start) / 900_000, Timestamp.millis(october.end) / 900_000]))
        }
        // The report reads a month's whole UTC days from the day sums and its edges from the
        // quarter-hours, so both are raised alike: whichever the bucket falls in, the report sees it.
        let day = bucket / 96
        try ledger.executeRawSQL(
            """
            UPDATE payment_sums SET gross = gross + 1
            WHERE bucket = \(bucket) AND currency = 'USD' AND cadence = (
                SELECT MIN(cadence) FROM payment_sums WHERE bucket = \(bucket) AND currency = 'USD');
            UPDATE payment_day_sums SET gross = gross + 1
            WHERE day = \(day) AND currency = 'USD' AND cadence = (
                SELECT MIN(cadence) FROM payment_sums WHERE bucket = \(bucket) AND currency = 'USD');
            """)
        // Then the report from the sums shows it, and verify names the quarter-hour and the day.
        let damaged = try await receipts(ledger, months, basis: .sums)
        #expect(damaged[months.count - 2]["USD"]?.gross == (before[months.count - 2]["USD"]?.gross ?? 0) + 1)
        let breaches = try await ledger.store.read { try $0.storageBreaches() }
        let quarter = Timestamp.format(Timestamp.date(millis: bucket * 900_000))
        let midnight = Timestamp.format(Timestamp.date(millis: day * 86_400_000))
        #expect(breaches.count == 2, "\(breaches)")
        #expect(breaches.contains { $0.contains("quarter-hour from \(quarter) (bucket \(bucket)), USD") })
        #expect(breaches.contains { $0.contains("UTC day from \(midnight) (day \(day)), USD") })
        // A month shifted by a minute off the quarter-hours is read from the rows, damage and all ignored.
        let shifted = months.map { (start: $0.start.addingTimeInterval(60), end: $0.end.addingTimeInterval(60)) }
        #expect(
            try await receipts(ledger, shifted, basis: .sums) == (try await receipts(ledger, shifted, basis: .rows)))
        // A sum missing, and one for a quarter-hour with no payment, are named too.
        try ledger.executeRawSQL(
            """
            DELETE FROM reversal_sums WHERE bucket = (SELECT MIN(bucket) FROM reversal_sums);
            INSERT INTO payment_sums (bucket, currency, cadence, payments, gross, fees) VALUES (1, 'EUR', 'annual', 1, 100, 0);
            """)
        let more = try await ledger.store.read { try $0.receiptSumBreaches() }
        #expect(more.count == 4, "\(more)")
        #expect(
            more.contains {
                $0.contains("(bucket 1), EUR annual, say 1 payments of 100 (fees 0) but the payments give no payments")
            })
        #expect(more.contains { $0.contains("say no reversals but the reversals give") })
    }

    @Test(
        "A ledger at 0021 gets its sums when it migrates (0022), and keeps every payment, reversal (0023) and processor reference (0024) when they are keyed by integers"
    )
    func migrationBackfills() async throws {
        // A history booked by this build, copied row for row into a ledger at 0021 (which keeps no
        // sums, and names pledges, supporters and transactions in payments and reversals by text).
        let current = try await history(seed: 5)
        // Processor references as webhooks link them: some to pledges, some to payments.
        try await current.store.write { session in
            let pledges = try session.fetchAll(String.self, sql: "SELECT id FROM pledges ORDER BY seq LIMIT 3")
            let payments = try session.fetchAll(String.self, sql: "SELECT id FROM payments ORDER BY seq LIMIT 3")
            for (index, id) in pledges.enumerated() {
                try session.linkRef(
                    processor: "stripe", ref: "sub_\(index)", pledgeID: ID(id), paymentID: nil, at: Self.now)
            }
            for (index, id) in payments.enumerated() {
                try session.linkRef(
                    processor: "stripe", ref: "pi_\(index)", pledgeID: nil, paymentID: ID(id), at: Self.now)
            }
        }
        let path = current.directory.appending(path: "at-0021.sqlite").path
        do {
            let old = try LedgerStore(path: path, migrations: Migration.embedded.filter { $0.name < "0022" })
            try await old.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.execute(sql: "ATTACH DATABASE ? AS current", arguments: [current.path])
                try db.inTransaction {
                    try db.execute(
                        sql: """
                            INSERT INTO supporters (id, email, external_ref, created_at, erased_at)
                            SELECT id, email, external_ref, created_at, erased_at FROM current.supporters ORDER BY seq;
                            INSERT INTO pledges SELECT * FROM current.pledges;
                            INSERT INTO pledge_events SELECT * FROM current.pledge_events;
                            INSERT INTO pledge_pauses SELECT * FROM current.pledge_pauses;
                            INSERT INTO ledger_accounts SELECT * FROM current.ledger_accounts;
                            INSERT INTO ledger_transactions SELECT * FROM current.ledger_transactions;
                            INSERT INTO ledger_postings SELECT * FROM current.ledger_postings;
                            INSERT INTO payments (id, transaction_id, pledge_id, supporter_id, cadence, processor,
                                                  external_id, amount, fee, currency, occurred_at)
                            SELECT id, transaction_id, pledge_id, supporter_id, cadence, processor, external_id, amount,
                                   fee, currency, occurred_at
                            FROM current.payment_facts ORDER BY occurred_at;
                            INSERT INTO reversals (id, transaction_id, payment_id, kind, processor, external_id, amount,
                                                   fee, currency, occurred_at)
                            SELECT id, transaction_id, payment_id, kind, processor, external_id, amount, fee, currency,
                                   occurred_at
                            FROM current.reversal_facts ORDER BY occurred_at;
                            INSERT INTO processor_refs (processor, ref, pledge_id, payment_id, created_at)
                            SELECT r.processor, r.ref, p.id, y.id, r.created_at
                            FROM current.processor_refs r
                            LEFT JOIN current.pledges p ON p.seq = r.pledge_seq
                            LEFT JOIN current.payment_facts y ON y.seq = r.payment_seq;
                            """)
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE current")
            }
        }
        // When it is opened by this build, the sums are there and agree with the rows, and the
        // payments and reversals read back as they were booked.
        let store = try LedgerStore(path: path)
        #expect(
            store.appliedMigrations == [
                "0022_receipt_sums.sql", "0023_compact_payments.sql", "0024_compact_refs.sql",
                "0025_receipt_day_sums.sql",
            ])
        let ledgerMonths = try months("America/St_Johns")
        let facts = [
            "SELECT * FROM payment_facts ORDER BY seq", "SELECT * FROM reversal_facts ORDER BY seq",
            "SELECT seq, id, email FROM supporters ORDER BY seq",
            """
            SELECT r.processor, r.ref, p.id, y.id, r.created_at FROM processor_refs r
            LEFT JOIN pledges p ON p.seq = r.pledge_seq LEFT JOIN payment_facts y ON y.seq = r.payment_seq
            ORDER BY 1, 2, 3, 4
            """,
        ]
        let (fromSums, fromRows, kept, breaches, migrated) = try await store.read { session in
            (
                try session.monthFigures(ledgerMonths, detailFrom: 0, basis: .sums).map(\.receipts),
                try session.monthFigures(ledgerMonths, detailFrom: 0, basis: .rows).map(\.receipts),
                try session.fetchOne(Int64.self, sql: "SELECT SUM(payments) FROM payment_sums"),
                try session.receiptSumBreaches(),
                try facts.map { try session.fetchRows(sql: $0).map(\.description) }
            )
        }
        #expect(fromSums == fromRows)
        #expect(fromSums.contains { $0.values.contains { $0.payingSupporters > 0 } })
        #expect((kept ?? 0) > 100)
        #expect(breaches == [])
        let booked = try await current.store.read { session in
            try facts.map { try session.fetchRows(sql: $0).map(\.description) }
        }
        #expect(migrated == booked)
        #expect(migrated[1].count > 0)
        #expect(migrated[3].count == 6)
        let app = Pledger(store: store, clock: .fixed(Self.now))
        let verified = try await app.operations.verify().breaches
        #expect(verified == [], "\(verified)")
    }
}
