import Foundation
import Testing

/// `pledger import` as a person runs it: a dry run that leaves no ledger, the import, a re-run that
/// skips everything, and one clear line with exit 2 for a file that cannot be used.
@Suite("pledger import on the command line")
struct ImportCommandLineTests {
    let cli: CommandLineTests

    init() throws {
        cli = try CommandLineTests()
    }

    /// `Fixtures/import/…`, found from this file's path.
    static func fixture(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Fixtures/import/\(path)").path
    }

    static let stripeArguments = [
        "import", "stripe", "--customers", fixture("stripe/customers.csv"), "--subscriptions",
        fixture("stripe/subscriptions.csv"), "--payments", fixture("stripe/payments.csv"),
    ]

    @Test("Dry run, import, re-run, verify")
    func stripe() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let dry = try cli.pledger(arguments: Self.stripeArguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Dry run: nothing was written."))
        #expect(dry.stdout.contains("payment pi_QA1p1: 5.00 USD (fee 0.45 USD) on 2025-01-05T10:02:00Z"))
        #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "pledger.sqlite").path))

        let real = try cli.pledger(arguments: Self.stripeArguments + ["--format", "json"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(try real.json()["created"] as? Int == 34)
        #expect(real.stderr.isEmpty)  // no progress line: stderr is not a terminal here

        let again = try cli.pledger(arguments: Self.stripeArguments)
        #expect(again.status == 0)
        #expect(again.stdout.contains("Created 0, skipped 30 already imported, refused 0"))
        #expect(try cli.pledger("verify").status == 0)
    }

    @Test("Refused rows: listed with file, line and column, exit 1; an unusable file: one line, exit 2")
    func refusals() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let bad = try cli.pledger("import", "stripe", "--payments", Self.fixture("stripe/bad/payments.csv"))
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("payments.csv:3: column \"Amount\": USD allows at most 2 decimals"))
        #expect(bad.stderr == "pledger: 6 rows refused; see the list above\n")

        let mapping = try cli.pledger(
            "import", "csv", Self.fixture("civicrm/contributions.csv"), "--mapping",
            Self.fixture("givewp/mapping.toml"))
        #expect(mapping.status == 2)
        #expect(
            mapping.stderr.hasPrefix("pledger: contributions.csv:1: cannot be read as CSV with the delimiter \";\""))
        #expect(mapping.stderr.split(separator: "\n").count == 1)
    }
}
