import Foundation
import Testing

/// The report and export commands as a person runs them, on a small ledger: September and
/// October 2026, one monthly supporter in USD (5.00, fee 0.45, each month) and a one-off 20.00 EUR
/// on 10-20 with no fee.
extension CommandLineTests {
    private func twoMonths() throws {
        let pledge = try pledger(
            "pledge", "record", "--email", "reader@example.org", "--amount", "5.00", "--currency", "USD", "--cadence",
            "monthly",
            "--at", "2026-09-03T10:00:00Z", "--format", "json")
        let id = try #require(try pledge.json()["id"] as? String)
        for (month, external) in [("09", "ch_1"), ("10", "ch_2")] {
            let paid = try pledger(
                "payment", "record", "--pledge", id, "--amount", "5.00", "--currency", "USD", "--external-id", external,
                "--fee", "0.45",
                "--processor", "stripe", "--at", "2026-\(month)-03T10:01:00Z")
            #expect(paid.status == 0, "\(paid.stderr)")
        }
        let oneOff = try pledger(
            "pledge", "record", "--email", "giver@example.org", "--amount", "20.00", "--currency", "EUR", "--cadence",
            "one_off",
            "--at", "2026-10-20T11:59:00Z", "--format", "json")
        let gift = try pledger(
            "payment", "record", "--pledge", try #require(try oneOff.json()["id"] as? String), "--amount", "20.00",
            "--currency", "EUR",
            "--external-id", "cash_1", "--at", "2026-10-20T12:00:00Z")
        #expect(gift.status == 0, "\(gift.stderr)")
    }

    /// Runs `pledger ARGUMENTS` on a pseudo-terminal through util-linux `script`, as in an interactive shell.
    private func onTerminal(_ arguments: String, environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(Self.binary.path) \(arguments)", "/dev/null"]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("PLEDGER_") && $0.key != "NO_COLOR"
        }
        .merging(environment) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: "")
    }

    /// Whether this build of `pledger` has the `export` command (it is registered in the root command).
    static let hasExport: Bool = {
        // The root command's help lists its subcommands one per line, indented.
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--help"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        let help = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return help.range(of: #"\n +export +"#, options: .regularExpression) != nil
    }()

    @Test("report monthly in every format, and converted totals from a rates file")
    func monthlyFormats() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try twoMonths()
        for format in ["table", "json", "csv", "markdown", "html"] {
            let run = try pledger("report", "monthly", "--month", "2026-10", "--format", format)
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(!run.stdout.contains("\u{1B}"), "no colour when stdout is not a terminal")
        }
        let html = try pledger("report", "monthly", "--month", "2026-10", "--format", "html")
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.contains("<svg"))

        try "date,currency,rate\n2026-09-30,USD,0.8\n2026-10-30,USD,0.9\n".write(
            to: directory.appending(path: "rates.csv"), atomically: true, encoding: .utf8)
        let converted = try pledger(
            "report", "monthly", "--month", "2026-10", "--in", "EUR", "--rates", "rates.csv", "--format", "json")
        #expect(converted.status == 0, "\(converted.stderr)")
        let totals = try #require(try converted.json()["converted"] as? [String: Any])
        // USD 5.00 × 0.9 = 4.50 + EUR 20.00; fees 0.45 × 0.9 = 0.405 → 0.40 (half to even).
        #expect(totals["gross"] as? Int == 2450)
        #expect(totals["fees"] as? Int == 40)
        #expect(totals["net"] as? Int == 2410)

        let missing = try pledger("report", "monthly", "--month", "2026-11", "--in", "EUR", "--rates", "rates.csv")
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.hasPrefix("pledger: rates: no USD rate for 2026-11-30 in rates.csv"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let half = try pledger("report", "monthly", "--in", "EUR")
        #expect(half.status == 2)
        #expect(half.stderr == "pledger: rates: --in needs --rates, a CSV file with the header date,currency,rate\n")
        let unreadable = try pledger("report", "monthly", "--in", "EUR", "--rates", "nope.csv")
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.hasPrefix("pledger: rates: cannot read nope.csv"))
    }

    @Test(
        "Colour on a terminal, none with NO_COLOR",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
            "util-linux script is needed for a pseudo-terminal"))
    func colourOnlyOnATerminal() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try twoMonths()
        let terminal = try onTerminal("report monthly --month 2026-10", environment: ["TERM": "xterm"])
        #expect(terminal.status == 0)
        #expect(terminal.stdout.contains("\u{1B}[1m"), "\(terminal.stdout.prefix(200))")
        let plain = try onTerminal("report monthly --month 2026-10", environment: ["TERM": "xterm", "NO_COLOR": "1"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("Monthly revenue report"))
        #expect(!plain.stdout.contains("\u{1B}["))
    }

    @Test("report range and report cohorts, and their bad input")
    func rangeAndCohorts() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try twoMonths()
        let range = try pledger("report", "range", "--from", "2026-09", "--to", "2026-10", "--format", "json")
        #expect(range.status == 0, "\(range.stderr)")
        let months = try #require(try range.json()["months"] as? [[String: Any]])
        #expect(months.map { $0["month"] as? String } == ["2026-09", "2026-10"])
        let table = try pledger("report", "range", "--from", "2026-09", "--to", "2026-10")
        #expect(table.stdout.contains("\n2026-10 "))
        let csv = try pledger("report", "range", "--from", "2026-09", "--to", "2026-10", "--format", "csv")
        #expect(csv.stdout.contains("\n2026-10,UTC,EUR,1,20.00,"))
        let backwards = try pledger("report", "range", "--from", "2026-10", "--to", "2026-09")
        #expect(backwards.status == 2)
        #expect(backwards.stderr == "pledger: to: 2026-09 is before --from 2026-10\n")
        let badFrom = try pledger("report", "range", "--from", "Sept")
        #expect(badFrom.status == 2)
        #expect(badFrom.stderr == "pledger: from: \"Sept\" is not a month; use YYYY-MM, e.g. 2026-10\n")

        let cohorts = try pledger(
            "report", "cohorts", "--from", "2026-09", "--to", "2026-09", "--cadence", "monthly", "--format", "csv")
        #expect(cohorts.status == 0, "\(cohorts.stderr)")
        #expect(cohorts.stdout.contains("\n2026-09,monthly,UTC,1,1,1,100.0\n"))
        let badCadence = try pledger("report", "cohorts", "--cadence", "weekly")
        #expect(badCadence.status == 2)
        #expect(
            badCadence.stderr
                == "pledger: cadence: \"weekly\" is not a cohort cadence; use monthly, annual or recurring (both)\n")
    }

    @Test(
        "export writes each format; bad dates are refused naming the field",
        .enabled(if: hasExport, "ExportCommand is not registered in the root command yet"))
    func export() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try twoMonths()
        let journal = try pledger("export", "--format", "hledger")
        #expect(journal.status == 0, "\(journal.stderr)")
        #expect(journal.stdout.contains("\n2026-10-20 * manual | payment cash_1"))
        let october = try pledger("export", "--format", "csv", "--from", "2026-10-01", "--to", "2026-10-31")
        // The USD assets and the equity that opens them.
        #expect(october.stdout.split(separator: "\n").filter { $0.hasPrefix("opening,") }.count == 2)
        #expect(!october.stdout.contains(",ch_1,"))
        #expect(october.stdout.contains(",ch_2,"))
        let file = try pledger("export", "--format", "beancount", "--output", "ledger.beancount")
        #expect(file.status == 0)
        #expect(file.stderr == "Wrote 3 transactions to ledger.beancount (beancount).\n")
        #expect(
            try String(contentsOf: directory.appending(path: "ledger.beancount"), encoding: .utf8).contains(
                "open Income:Donations:Monthly USD"))
        let backwards = try pledger("export", "--from", "2026-10-02", "--to", "2026-10-01")
        #expect(backwards.status == 2)
        #expect(backwards.stderr == "pledger: to: 2026-10-01 is before --from 2026-10-02\n")
        let badDay = try pledger("export", "--from", "2026-02-30")
        #expect(badDay.status == 2)
        #expect(badDay.stderr == "pledger: from: \"2026-02-30\" is not a date; use YYYY-MM-DD, e.g. 2026-10-31\n")
    }
}
