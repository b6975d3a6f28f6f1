import Foundation
import PledgerApp
import PledgerCore
import PledgerImport
import PledgerStore
import PledgerTestSupport
import Testing

/// `pledger import csv FILE --mapping mapping.toml` over the CiviCRM and GiveWP examples in `Fixtures/import/`.
@Suite("Import any CSV through a mapping")
struct ImportCSVTests {
    static let now = instant("2026-11-25T00:00:00Z")
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        ledger = try TemporaryLedger(now: Self.now)
    }

    static func request(_ system: String, _ file: String, dryRun: Bool = false) -> CSVImportRequest {
        let directory = fixturesDirectory().appending(path: "import/\(system)")
        return CSVImportRequest(
            file: directory.appending(path: file), mapping: directory.appending(path: "mapping.toml"), dryRun: dryRun)
    }

    @Test("CiviCRM contributions: supporters by contact id, one pledge per recurring contribution, a refund")
    func civicrm() async throws {
        let summary = try await app.imports.csv(Self.request("civicrm", "contributions.csv"))
        #expect(summary.refusals == [])
        #expect(summary.counts["supporters"]?.created == 3)
        #expect(summary.counts["pledges"]?.created == 3)
        #expect(summary.counts["payments"]?.created == 5)
        #expect(summary.counts["refunds"]?.created == 1)
        #expect(summary.notPaid == 1)  // the pending cheque
        let grace = try await app.pledges.list(email: "grace@example.org")
        #expect(grace.count == 1)
        #expect(
            grace.first?.cadence == .monthly && grace.first?.status == .active && grace.first?.amount == usd("10.00"))
        #expect(grace.first?.firstPaidAt == instant("2025-01-20T08:00:00Z"))
        let hedy = try #require(try await app.pledges.list(email: "hedy@example.org").first)
        #expect(hedy.cadence == .annual)
        #expect(try await app.pledges.list(email: "alan@example.org").isEmpty)

        let january = try await app.reports.monthly(month: try ReportMonth.parse("2025-01"), trend: false)
        let usdJanuary = try #require(january.currencies.first { $0.currency == "USD" })
        #expect(usdJanuary.receipts.gross == 6_000)  // 50.00 + 10.00
        #expect(usdJanuary.receipts.fees == 234)  // 1.75 + 0.59
        let march = try await app.reports.monthly(month: try ReportMonth.parse("2025-03"), trend: false)
        #expect(march.currencies.first { $0.currency == "USD" }?.receipts.refunds == 1_000)

        let again = try await app.imports.csv(Self.request("civicrm", "contributions.csv"))
        #expect(again.created == 0 && again.refused == 0)
        #expect(again.counts["payments"]?.skipped == 5)
        #expect(again.counts["refunds"]?.skipped == 1)
        #expect(try await app.operations.verify().holds)
    }

    @Test("GiveWP donations: a BOM, CRLF, ';', decimal commas and day-first dates")
    func givewp() async throws {
        let summary = try await app.imports.csv(Self.request("givewp", "donations.csv"))
        #expect(summary.refusals == [])
        #expect(summary.counts["payments"]?.created == 4)
        #expect(summary.counts["refunds"]?.created == 1)
        #expect(summary.notPaid == 1)
        let pierre = try await app.pledges.list(email: "pierre@example.eu")
        #expect(pierre.count == 1 && pierre.first?.cadence == .monthly && pierre.first?.amount == eur("5.00"))
        let marie = try #require(try await app.pledges.list(email: "marie@example.eu").first)
        #expect(marie.amount == eur("15.00") && marie.createdAt == instant("2025-02-03T00:00:00Z"))
        let february = try await app.reports.monthly(month: try ReportMonth.parse("2025-02"), trend: false)
        #expect(february.currencies.first { $0.currency == "EUR" }?.receipts.gross == 2_000)
    }

    @Test("A dry run writes nothing")
    func dryRun() async throws {
        let dry = try await app.imports.csv(Self.request("givewp", "donations.csv", dryRun: true))
        #expect(dry.counts["payments"]?.created == 4)
        #expect(try await app.pledges.list().isEmpty)
    }

    @Test("Bad rows name the export's own column; the rest go in")
    func badRows() async throws {
        let directory = ledger.directory
        try Data(
            """
            Contribution ID,Email,Total Amount,Currency,Date Received
            1,ok@example.org,5.00,USD,2025-01-01
            2,no-at-sign,5.00,USD,2025-01-01
            3,ok@example.org,5.001,USD,2025-01-01
            4,ok@example.org,5.00,ABC,2025-01-01
            5,ok@example.org,5.00,USD,01/02/2025

            """.utf8
        ).write(to: directory.appending(path: "export.csv"))
        try Data(
            """
            [csv]
            processor = "sheet"
            [columns]
            email = "Email"
            amount = "Total Amount"
            currency = "Currency"
            date = "Date Received"
            external_id = "Contribution ID"
            [defaults]
            cadence = "one_off"
            """.utf8
        ).write(to: directory.appending(path: "mapping.toml"))
        let summary = try await app.imports.csv(
            CSVImportRequest(
                file: directory.appending(path: "export.csv"), mapping: directory.appending(path: "mapping.toml")))
        #expect(
            summary.refusals.map(\.description) == [
                "export.csv:3: column \"Email\": \"no-at-sign\" is not an e-mail address (expected name@example.org)",
                "export.csv:4: column \"Total Amount\": USD allows at most 2 decimals",
                "export.csv:5: column \"Currency\": \"ABC\" is not a known ISO 4217 currency code",
                "export.csv:6: column \"Date Received\": \"01/02/2025\" is not a date; use 2024-03-05 14:07 (UTC), 2024-03-05 or ISO 8601 such as 2024-03-05T14:07:00Z",
            ])
        #expect(summary.counts["payments"]?.created == 1)
    }

    @Test("A mapping's mistakes are refused by key before anything is read")
    func mappingErrors() throws {
        func refusal(_ toml: String) -> ImportRefusal? {
            do {
                _ = try ImportMapping(toml: toml, file: "mapping.toml")
                return nil
            } catch {
                return error
            }
        }
        let base = """
            [csv]
            processor = "crm"
            [columns]
            email = "E"
            amount = "A"
            date = "D"
            external_id = "I"
            [defaults]
            currency = "USD"
            cadence = "one_off"

            """
        #expect(refusal(base) == nil)
        #expect(refusal(base.replacingOccurrences(of: "email = ", with: "emial = "))?.column == "columns.emial")
        #expect(refusal(base.replacingOccurrences(of: "processor = \"crm\"", with: ""))?.column == "csv.processor")
        #expect(
            refusal(base.replacingOccurrences(of: "currency = \"USD\"", with: "currency = \"usd\""))?.column
                == "defaults.currency")
        #expect(refusal(base + "[values.status]\nDone = \"maybe\"\n")?.column == "values.status.Done")
        #expect(refusal("[csv\nprocessor=1")?.line == 1)
    }
}
