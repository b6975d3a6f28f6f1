import Foundation
import Testing

/// `pledger statement`, `pledger statements` and `pledger report lapsed` as a person runs them, on
/// a small ledger: reader@example.org gives USD 5.00 monthly on 2024-05-03, 2025-02-03 and
/// 2025-03-03 (2.00 of March refunded on 2025-03-10); giver@example.org gives EUR 20.00 once on 2024-10-20.
extension CommandLineTests {
    private func givingHistory() throws {
        let pledge = try pledger(
            "pledge", "record", "--email", "reader@example.org", "--amount", "5.00", "--currency", "USD", "--cadence",
            "monthly", "--at", "2024-05-03T10:00:00Z", "--format", "json")
        let id = try #require(try pledge.json()["id"] as? String)
        for (day, external) in [("2024-05-03", "ch_1"), ("2025-02-03", "ch_2"), ("2025-03-03", "ch_3")] {
            let paid = try pledger(
                "payment", "record", "--pledge", id, "--amount", "5.00", "--currency", "USD", "--external-id", external,
                "--processor", "stripe", "--at", "\(day)T10:01:00Z")
            #expect(paid.status == 0, "\(paid.stderr)")
        }
        let refund = try pledger(
            "refund", "record", "--payment", "ch_3", "--amount", "2.00", "--at", "2025-03-10T09:00:00Z")
        #expect(refund.status == 0, "\(refund.stderr)")
        let oneOff = try pledger(
            "pledge", "record", "--email", "giver@example.org", "--amount", "20.00", "--currency", "EUR", "--cadence",
            "one_off", "--at", "2024-10-20T11:59:00Z", "--format", "json")
        let gift = try pledger(
            "payment", "record", "--pledge", try #require(try oneOff.json()["id"] as? String), "--amount", "20.00",
            "--currency", "EUR", "--external-id", "cash_1", "--at", "2024-10-20T12:00:00Z")
        #expect(gift.status == 0, "\(gift.stderr)")
    }

    @Test("pledger statement: one supporter's year as CSV, HTML or JSON, to stdout or a file")
    func statementCommand() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try givingHistory()
        let csv = try pledger("statement", "--email", "Reader@Example.org", "--year", "2025", "--format", "csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        // Two payments and the refund, then the total: 10.00 given, 2.00 refunded, 8.00 net.
        #expect(lines.count == 5)
        #expect(
            lines.last?.hasSuffix(",reader@example.org,2025,2025-01-01,2025-12-31,total,,,,,,USD,,10.00,2.00,0.00,8.00")
                == true)
        #expect(lines[3].contains(",line,2025-03-10,refund,2025-"))

        let april = try pledger(
            "statement", "--email", "reader@example.org", "--year", "2024", "--fiscal-year-start", "04", "--format",
            "json")
        #expect(april.status == 0, "\(april.stderr)")
        // 2024-04-01 to 2025-03-31 holds all three payments and the refund: 15.00 − 2.00.
        let totals = try #require(try april.json()["currencies"] as? [[String: Any]])
        #expect(totals.first?["net"] as? Int == 1300)
        #expect(try april.json()["fiscal_year"] as? String == "2024/25")

        let written = try pledger(
            "statement", "--email", "reader@example.org", "--year", "2025", "--out", "reader-2025.html")
        #expect(written.status == 0, "\(written.stderr)")
        let html = try String(contentsOf: directory.appending(path: "reader-2025.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("Fiscal year 2025") && html.contains("8.00"))

        let unknown = try pledger("statement", "--email", "nobody@example.org", "--year", "2025")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("nobody@example.org"))
        let badYear = try pledger("statement", "--email", "reader@example.org", "--year", "25")
        #expect(badYear.status == 2)
        let badStart = try pledger(
            "statement", "--email", "reader@example.org", "--year", "2025", "--fiscal-year-start", "13")
        #expect(badStart.status == 2)
        #expect(badStart.stderr.contains("fiscal-year-start"))
    }

    @Test(
        "pledger statements: an HTML and a CSV file per supporter who gave, the net per currency, a progress line on a terminal"
    )
    func statementsCommand() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try givingHistory()
        let run = try pledger("statements", "--year", "2024", "--out", "out")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)  // no progress line: stderr is not a terminal here
        #expect(run.stdout.contains("Wrote 2 statements for fiscal year 2024"))
        #expect(run.stdout.contains("net given: 20.00 EUR"))
        #expect(run.stdout.contains("net given: 5.00 USD"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appending(path: "out").path).sorted()
        #expect(files.count == 4)
        #expect(files.filter { $0.hasSuffix(".html") }.count == 2)
        #expect(files.allSatisfy { $0.hasPrefix("statement-2024-sp_") })

        // On a terminal (util-linux `script` gives it one), the progress line is drawn.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(Self.binary.path) statements --year 2025 --out out2025", "/dev/null"]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLEDGER_") }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("statements: 1/1 supporters"))
        #expect(text.contains("net given: 8.00 USD"))
    }

    @Test("pledger report lapsed: LYBUNT and SYBUNT per currency, in every format")
    func lapsedReport() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try givingHistory()
        // 2025: the giver gave in 2024 and not 2025 (LYBUNT, EUR 20.00); the reader gave in 2025.
        let table = try pledger("report", "lapsed", "--year", "2025")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("giver@example.org"))
        #expect(!table.stdout.contains("reader@example.org"))
        let csv = try pledger("report", "lapsed", "--year", "2025", "--format", "csv")
        #expect(csv.stdout.contains("2025,01,summary,lybunt,EUR,,,1,,20.00,20.00"))
        #expect(csv.stdout.contains("2025,01,summary,sybunt,EUR,,,0,,0.00,0.00"))
        // 2026: the reader gave in 2025 (8.00 net), not 2026: LYBUNT; the giver's last year was 2024: SYBUNT.
        let json = try pledger("report", "lapsed", "--year", "2026", "--format", "json")
        #expect(json.status == 0, "\(json.stderr)")
        let supporters = try #require(try json.json()["supporters"] as? [[String: Any]])
        let byEmail = Dictionary(uniqueKeysWithValues: supporters.map { ($0["email"] as? String ?? "", $0) })
        #expect(byEmail["reader@example.org"]?["category"] as? String == "lybunt")
        #expect(byEmail["reader@example.org"]?["last_gift_year_given"] as? Int == 800)
        #expect(byEmail["reader@example.org"]?["lifetime_given"] as? Int == 1300)
        #expect(byEmail["giver@example.org"]?["category"] as? String == "sybunt")
        for format in ["markdown", "html"] {
            let run = try pledger("report", "lapsed", "--year", "2026", "--format", format)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("reader@example.org") && run.stdout.contains("SYBUNT"), "\(format)")
        }
        let future = try pledger("report", "lapsed", "--year", "2999")
        #expect(future.status == 2)
    }
}
