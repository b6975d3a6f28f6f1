import Foundation
import PledgerApp
import PledgerCore
import PledgerImport
import PledgerTestSupport
import Testing

/// `pledger export --accounts accounts.toml` over the imported Stripe fixtures: the tools accept the
/// mapped exports and the totals are those of the unmapped ones.
@Suite("Exports in the publisher's chart of accounts")
struct ChartOfAccountsExportTests {
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() async throws {
        ledger = try TemporaryLedger(now: instant("2026-11-25T00:00:00Z"))
        let stripe = fixturesDirectory().appending(path: "import/stripe")
        _ = try await ledger.app.imports.stripe(
            StripeImportRequest(
                customers: stripe.appending(path: "customers.csv"),
                subscriptions: stripe.appending(path: "subscriptions.csv"),
                payments: stripe.appending(path: "payments.csv")))
    }

    func chart() throws -> AccountMap {
        try AccountMapFile.read(fixturesDirectory().appending(path: "import/accounts.toml"))
    }

    func export(_ format: ExportFormat, chart: AccountMap?) async throws -> URL {
        let collected = Collected()
        _ = try await app.exports.export(as: format, chart: chart) { collected.append($0) }
        let url = ledger.directory.appending(path: "export-\(UUID().uuidString).\(format.rawValue)")
        try collected.text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Per root account (income, expenses…) and currency, the sum of the postings, read from the text.
    static func totals(_ text: String) -> [String: Int64] {
        var sums: [String: Int64] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("  ") && !line.contains("\"") {
            let parts = line.split(separator: " ")
            guard parts.count >= 3, let currency = parts.last,
                let value = Decimal(string: String(parts[parts.count - 2]))
            else { continue }
            let root = parts[0].split(separator: ":")[0].lowercased()
            sums["\(root) \(currency)", default: 0] += NSDecimalNumber(decimal: value * 100).int64Value
        }
        return sums
    }

    @Test("hledger --strict check accepts the mapped journal; income and fees total as before")
    func hledger() async throws {
        let plain = try await export(.hledger, chart: nil)
        let mapped = try await export(.hledger, chart: try chart())
        let text = try String(contentsOf: mapped, encoding: .utf8)
        #expect(text.contains("income:4010 Recurring donations"))
        #expect(text.contains("income:4090 Refunds and chargebacks"))
        #expect(text.contains("assets:1210 Stripe balance"))
        #expect(!text.contains("income:donations:"))
        let totals = Self.totals(text)
        #expect(!totals.isEmpty)
        #expect(totals == Self.totals(try String(contentsOf: plain, encoding: .utf8)))
        if let hledger = AccountingTool.hledger {
            let check = try AccountingTool.run(hledger, ["-f", mapped.path, "--strict", "check"])
            #expect(check.status == 0, "\(check.stderr)")
            let before = try AccountingTool.run(hledger, ["-f", plain.path, "balance", "--depth", "1", "-O", "csv"])
            let after = try AccountingTool.run(hledger, ["-f", mapped.path, "balance", "--depth", "1", "-O", "csv"])
            #expect(before.stdout == after.stdout)
            #expect(before.stdout.contains("income"))
        }
    }

    @Test("bean-check accepts the mapped Beancount file; the totals are unchanged")
    func beancount() async throws {
        let plain = try await export(.beancount, chart: nil)
        let mapped = try await export(.beancount, chart: try chart())
        let text = try String(contentsOf: mapped, encoding: .utf8)
        #expect(text.contains("Income:4010-Recurring-donations"))
        #expect(Self.totals(text) == Self.totals(try String(contentsOf: plain, encoding: .utf8)))
        if let beanCheck = AccountingTool.beanCheck {
            let check = try AccountingTool.run(beanCheck, [mapped.path])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
    }

    @Test("CSV keeps Pledger's account and adds the chart's code and name")
    func csv() async throws {
        let text = try String(contentsOf: try await export(.csv, chart: try chart()), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasSuffix(",account_code,account_name"))
        #expect(lines.contains { $0.contains(",income:donations:monthly,USD,-5.00,-500,4010,Recurring donations") })
    }

    @Test("An account the chart misses is an error naming it, and nothing is written")
    func missingAccount() async throws {
        let partial = try AccountMapFile.parse(
            toml: """
                [accounts."assets:*"]
                code = "1200"
                name = "Clearing"
                [accounts."income:*"]
                code = "4000"
                name = "Donations"
                """, file: "accounts.toml")
        let collected = Collected()
        await #expect(
            throws: PledgerError.invalid(
                "accounts",
                "the chart of accounts does not map expenses:fees:stripe; add it or a prefix such as expenses:fees:*")
        ) {
            try await app.exports.export(as: .hledger, chart: partial) { collected.append($0) }
        }
        #expect(collected.text.isEmpty)
    }

    @Test("A chart file's mistakes name their key")
    func fileErrors() {
        func refusal(_ text: String) -> ImportRefusal? {
            do {
                _ = try AccountMapFile.parse(toml: text, file: "accounts.toml")
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal("[accounts.\"income:*\"]\ncode = \"4000\"\n")?.column == "accounts.income:*.name")
        #expect(
            refusal("[accounts.\"income:*\"]\ncode = \"4000\"\nname = \"D\"\nrefnd = { code = \"1\", name = \"R\" }\n")?
                .column == "accounts.income:*.refnd")
        #expect(refusal("[chart]\n")?.column == "chart")
    }
}
