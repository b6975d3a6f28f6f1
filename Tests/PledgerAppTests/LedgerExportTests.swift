import Foundation
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerTestSupport
import Testing

/// The accounting tools the exports are checked with, found on `PATH`; nil when not installed
/// (`.ci/run` installs both: `apt-get install hledger`, `pip install beancount`).
enum AccountingTool {
    static let hledger = find("hledger")
    static let beanCheck = find("bean-check")
    static let python = find("python3")

    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appending(path: name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `tool` and returns its exit status and outputs.
    static func run(_ tool: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are drained before waiting, so a chatty tool cannot block on a full pipe.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }
}

/// `pledger export` on the three months of ``ThreeMonthScenarioTests``, read back by hledger and
/// Beancount when they are installed: for each month, the balance of `income` is minus the
/// report's gross − refunds − chargebacks, and the balance of `expenses:fees` its fees.
extension ThreeMonthScenarioTests {
    /// The ledger exported in `format` into a file of the test's temporary directory.
    private func exported(_ format: ExportFormat, from: Date? = nil, to: Date? = nil, zone: TimeZone = .gmt)
        async throws -> (URL, String)
    {
        let collected = Collected()
        _ = try await app.exports.export(as: format, from: from, to: to, timeZone: zone) { collected.append($0) }
        let url = ledger.directory.appending(path: "export-\(UUID().uuidString).\(format.rawValue)")
        try collected.text.write(to: url, atomically: true, encoding: .utf8)
        return (url, collected.text)
    }

    /// What the report says hledger must show for `month`, per currency in decimal major units:
    /// income = −(gross − refunds − chargebacks), fees = fees.
    private func expectedBalances(_ month: ReportMonth, zone: TimeZone) async throws -> [String: [String: String]] {
        let report = try await app.reports.monthly(month: month, timeZone: zone)
        var expected: [String: [String: String]] = ["income": [:], "expenses": [:]]
        for figures in report.currencies {
            let currency = try #require(Currency(code: figures.currency))
            let r = figures.receipts
            let income = -(r.gross - r.refunds - r.chargebacks)
            if income != 0 {
                expected["income"]![figures.currency] = Money(minorUnits: income, currency: currency).decimalString
            }
            if r.fees != 0 {
                expected["expenses"]![figures.currency] = Money(minorUnits: r.fees, currency: currency).decimalString
            }
        }
        return expected
    }

    @Test(
        "hledger accepts the journal, and each month's income and fees equal the report",
        .enabled(if: AccountingTool.hledger != nil, "hledger is not installed (apt-get install hledger)"))
    func hledgerReconciles() async throws {
        let hledger = try #require(AccountingTool.hledger)
        for zone in [TimeZone.gmt, try parseTimeZone("Europe/Moscow")] {
            let (journal, _) = try await exported(.hledger, zone: zone)
            // --strict: every account and commodity used is declared.
            let check = try AccountingTool.run(hledger, ["-f", journal.path, "--strict", "check"])
            #expect(check.status == 0, "\(check.stderr)")
            for month in [
                ReportMonth(year: 2026, month: 9), .init(year: 2026, month: 10), .init(year: 2026, month: 11),
            ] {
                let balance = try AccountingTool.run(
                    hledger,
                    [
                        "-f", journal.path, "balance", "income", "expenses:fees", "-b", "\(month)-01", "-e",
                        "\(month.next)-01",
                        "--depth", "1", "--no-total", "--layout", "bare", "--output-format", "csv",
                    ])
                #expect(balance.status == 0, "\(balance.stderr)")
                // Rows: "account","commodity","balance".
                var actual: [String: [String: String]] = ["income": [:], "expenses": [:]]
                for line in balance.stdout.split(separator: "\n").dropFirst() {
                    let fields = line.split(separator: ",").map {
                        $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    }
                    guard fields.count == 3, fields[2] != "0" else { continue }
                    actual[fields[0], default: [:]][fields[1]] = fields[2]
                }
                let expected = try await expectedBalances(month, zone: zone)
                #expect(actual == expected, "\(month) in \(zone.reportName)")
                #expect(!(expected["income"] ?? [:]).isEmpty)
            }
        }
    }

    @Test(
        "bean-check accepts the Beancount file, and Beancount's own sums per month equal the report",
        .enabled(if: AccountingTool.beanCheck != nil, "bean-check is not installed (pip install beancount)"))
    func beancountReconciles() async throws {
        let beanCheck = try #require(AccountingTool.beanCheck)
        let (file, _) = try await exported(.beancount)
        let check = try AccountingTool.run(beanCheck, [file.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.isEmpty && check.stderr.isEmpty, "\(check.stdout)\(check.stderr)")

        // The same reconciliation as hledger's, through Beancount's loader (the library bean-check runs),
        // when the python3 on PATH is the one Beancount was installed into.
        guard let python = AccountingTool.python,
            try AccountingTool.run(python, ["-c", "import beancount"]).status == 0
        else { return }
        let script = """
            import sys, collections, datetime
            from beancount import loader
            from beancount.core import data
            entries, errors, options = loader.load_file(sys.argv[1])
            assert not errors, errors
            begin, end = datetime.date.fromisoformat(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3])
            totals = collections.defaultdict(lambda: 0)
            for entry in entries:
                if isinstance(entry, data.Transaction) and begin <= entry.date < end:
                    for posting in entry.postings:
                        root = posting.account.split(':')[0]
                        if root == 'Income' or posting.account.startswith('Expenses:Fees'):
                            totals[(root.lower(), posting.units.currency)] += posting.units.number
            for (root, currency), number in sorted(totals.items()):
                if number != 0:
                    print(root, currency, number)
            """
        for month in [ReportMonth(year: 2026, month: 10), .init(year: 2026, month: 11)] {
            let run = try AccountingTool.run(python, ["-c", script, file.path, "\(month)-01", "\(month.next)-01"])
            #expect(run.status == 0, "\(run.stderr)")
            var actual: [String: [String: String]] = ["income": [:], "expenses": [:]]
            for line in run.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ").map(String.init)
                if fields.count == 3 { actual[fields[0], default: [:]][fields[1]] = fields[2] }
            }
            #expect(actual == (try await expectedBalances(month, zone: .gmt)), "\(month)")
        }
    }

    @Test("The journal's text: declared accounts and commodities, one block per transaction, balanced")
    func hledgerText() async throws {
        let (_, text) = try await exported(.hledger)
        #expect(text.contains("\ncommodity 1000.00 EUR\ncommodity 1000.00 USD\n"))
        #expect(text.contains("\naccount income:donations:one_off  ; type: R\n"))
        #expect(text.contains("\naccount assets:processor:stripe  ; type: A\n"))
        let blocks = text.components(separatedBy: "\n\n").filter { $0.first?.isNumber == true && $0.contains(" * ") }
        #expect(blocks.count == 14)  // 12 payments, Carol's refund, Dave's chargeback
        let alice = try #require(blocks.first { $0.contains("payment pi_alice_2 ") })
        let lines = alice.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.first?.hasPrefix("2026-10-05 * stripe | payment pi_alice_2 ; kind:payment, id:tx_") == true)
        #expect(lines.first?.contains(", at:2026-10-05T10:05:00Z, pledge:pl_") == true)
        #expect(
            Array(lines.dropFirst()) == [
                "assets:processor:stripe 10.00 USD", "income:donations:monthly -10.00 USD",
                "expenses:fees:stripe 0.50 USD", "assets:processor:stripe -0.50 USD",
            ])
        let chargeback = try #require(blocks.first { $0.contains("chargeback dp_dave_1") })
        #expect(chargeback.hasPrefix("2026-11-10 * stripe | chargeback dp_dave_1"))
        #expect(
            chargeback.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.contains(
                "income:donations:monthly 5.00 USD"))
        // Erik's payment at 22:30 UTC on 31 October is dated 1 November in Moscow.
        let (_, moscow) = try await exported(.hledger, zone: try parseTimeZone("Europe/Moscow"))
        #expect(moscow.contains("\n2026-11-01 * stripe | payment pi_erik_1 "))
        #expect(text.contains("\n2026-10-31 * stripe | payment pi_erik_1 "))
    }

    @Test("Beancount's names: capitalised roots and parts, signs as dashes; accounts opened before use")
    func beancountText() async throws {
        #expect(ExportFormat.beancountAccountName("income:donations:one_off") == "Income:Donations:One-off")
        #expect(ExportFormat.beancountAccountName("assets:processor:my_gateway-2") == "Assets:Processor:My-gateway-2")
        #expect(ExportFormat.beancountAccountName("expenses:fees:2checkout") == "Expenses:Fees:2checkout")
        #expect(ExportFormat.beancountAccountName("suspense:x") == "Equity:Suspense:X")
        let (_, text) = try await exported(.beancount)
        #expect(text.contains("\n2026-09-01 open Assets:Processor:Stripe EUR,USD\n"))
        #expect(text.contains("\n2026-10-12 open Income:Donations:One-off USD\n"))
        #expect(text.contains("\n2026-10-05 * \"stripe\" \"payment pi_alice_2\"\n  pledger-id: \"tx_"))
        #expect(text.contains("  external-id: \"pi_alice_2\"\n"))
    }

    @Test("CSV: one row per posting, every transaction balanced per currency")
    func csvExport() async throws {
        let (_, text) = try await exported(.csv)
        let rows = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(
            rows.first == [
                "transaction_id", "date", "occurred_at", "kind", "processor", "external_id", "pledge_id", "account",
                "currency", "amount", "amount_minor",
            ])
        // 12 payments of 4 postings (each has a fee) but the anonymous cash one (2), a refund (2), a chargeback with its fee (4).
        let postings = 11 * 4 + 2 + 2 + 4
        #expect(rows.count - 1 == postings)
        var sums: [String: Int64] = [:]
        for row in rows.dropFirst() {
            sums[row[0] + " " + row[8], default: 0] += Int64(row[10]) ?? .max
        }
        #expect(sums.values.allSatisfy { $0 == 0 })
        let refund = rows.first { $0[5] == "re_carol_1" && $0[7] == "income:donations:one_off" }
        #expect(refund.map { [$0[3], $0[9], $0[10]] } == ["refund", "5.00", "500"])
    }

    @Test("From and to: the days in between, opened by the asset balances before them")
    func range() async throws {
        let zone = TimeZone.gmt
        let from = try ReportDay.parse("2026-11-01", field: "from")
        let to = try ReportDay.parse("2026-11-05", field: "to")
        let (_, text) = try await exported(.csv, from: from.start(in: zone), to: to.end(in: zone))
        let rows = text.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        // Before November: USD assets 173.00 + 21.00 − 6.35 − 1.45 = 186.20; EUR 8.00 − 0.53 = 7.47.
        let opening = rows.filter { $0[0] == "opening" }
        #expect(
            opening.map { [$0[1], $0[7], $0[8], $0[9]] } == [
                ["2026-11-01", "assets:processor:stripe", "EUR", "7.47"],
                ["2026-11-01", "assets:processor:stripe", "USD", "186.20"],
                ["2026-11-01", "equity:opening-balances", "EUR", "-7.47"],
                ["2026-11-01", "equity:opening-balances", "USD", "-186.20"],
            ])
        // Then Carol's refund (11-02), Ivan's payment (11-03) and Alice's (11-05); Dave's chargeback (11-10) is after --to.
        #expect(
            Array(Set(rows.filter { $0[0] != "opening" }.map(\.[5]))).sorted() == [
                "pi_alice_3", "pi_ivan_2", "re_carol_1",
            ])

        if let hledger = AccountingTool.hledger {
            let (journal, _) = try await exported(.hledger, from: from.start(in: zone), to: to.end(in: zone))
            let check = try AccountingTool.run(hledger, ["-f", journal.path, "--strict", "check"])
            #expect(check.status == 0, "\(check.stderr)")
        }
        if let beanCheck = AccountingTool.beanCheck {
            let (file, _) = try await exported(.beancount, from: from.start(in: zone), to: to.end(in: zone))
            let check = try AccountingTool.run(beanCheck, [file.path])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
    }
}

/// Text gathered from an export's pieces; the export calls back from the database's queue.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var pieces: [String] = []

    func append(_ text: String) {
        lock.withLock { pieces.append(text) }
    }

    var text: String { lock.withLock { pieces.joined() } }
}
