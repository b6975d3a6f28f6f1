import Foundation
import Testing

/// A supporter's own page in a real browser (issue 15): headless Chromium, driven by Selenium from
/// `scripts/manage-browser.py`, against the built `pledger serve`; the ledger is filled and read
/// through the CLI.
@Suite("A supporter's page in a browser")
struct SupporterPageBrowserTests {
    @Test(
        "The link opens the page; a pause and a cancellation are requested; the statement adds up; a tampered link is refused; once paused, the page offers to resume",
        .enabled(
            if: BoxBrowserTests.tools != nil,
            "needs chromium, chromedriver and python3 with selenium (apt-get install chromium chromium-driver; pip install selenium); .ci/run installs them"
        ),
        .timeLimit(.minutes(2))
    )
    func supporterActsAlone() async throws {
        let tools = try #require(BoxBrowserTests.tools)
        let cli = try CommandLineTests()
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let db = cli.directory.appending(path: "ledger.sqlite").path
        let port = try BoxBrowserTests.freePort()
        let environment = ["PLEDGER_PUBLIC_URL": "http://127.0.0.1:\(port)"]

        // Given a monthly supporter with two payments in 2026 and 2.50 of one refunded,
        let recorded = try cli.pledger(
            "pledge", "record", "--db", db, "--email", "reader@example.org", "--amount", "10.00", "--currency", "USD",
            "--cadence", "monthly", "--at", "2026-09-03T10:00:00Z", "--format", "json")
        let pledge = try #require(try recorded.json()["id"] as? String)
        for (id, at) in [("pi_1", "2026-09-03T10:00:00Z"), ("pi_2", "2026-10-03T10:00:00Z")] {
            let paid = try cli.pledger(
                "payment", "record", "--db", db, "--pledge", pledge, "--amount", "10.00", "--currency", "USD",
                "--external-id", id, "--at", at)
            #expect(paid.status == 0, "\(paid.stderr)")
        }
        #expect(
            try cli.pledger(
                "refund", "record", "--db", db, "--payment", "pi_2", "--amount", "2.50", "--at", "2026-10-05T00:00:00Z"
            ).status == 0)
        let link = try cli.pledger(
            "supporter", "link", "--db", db, "--email", "reader@example.org", environment: environment)
        let url = try #require(link.stdout.split(separator: "\n").first.map(String.init), "\(link.stderr)")
        #expect(url.hasPrefix("http://127.0.0.1:\(port)/manage?token="))

        let server = try BoxBrowserTests.BoxServer(
            directory: cli.directory, port: port, box: nil, environment: environment)
        defer { _ = server.terminate() }
        try #require(server.process.isRunning && server.firstLine.contains("127.0.0.1:\(port)"), "\(server.firstLine)")

        // When the supporter opens it in Chromium, pauses, cancels, reads the statement and tries a tampered link,
        let run = try BoxBrowserTests.walk(
            tools: tools, directory: cli.directory, script: "manage-browser.py",
            arguments: ["--url", url, "--year", "2026"])
        try #require(run.status == 0, "\(run.stderr)")
        let lastLine = try #require(run.stdout.split(separator: "\n").last)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])

        // then the page showed each request as requested, and the statement's net is 10 + 10 − 2.50,
        #expect(result["after_pause"] as? Bool == true)
        #expect(result["after_cancel"] as? Bool == true)
        let totals = try #require(result["statement_totals"] as? [[String]])
        #expect(totals.count == 1)
        #expect(totals.first?.first == "USD")
        #expect(totals.first?.last?.contains("17.50") == true, "\(totals)")
        #expect(result["tampered_refused"] as? Bool == true)
        #expect((result["cookies"] as? [Any])?.isEmpty == true)

        // and the processor integration heard both requests, with what the supporter chose; the pledge is unchanged.
        let pause = try cli.pledger(
            "events", "list", "--db", db, "--type", "pledge.pause_requested", "--format", "json")
        let pauses = try #require(try JSONSerialization.jsonObject(with: Data(pause.stdout.utf8)) as? [[String: Any]])
        let pauseRequest = (pauses.first?["data"] as? [String: Any])?["request"] as? [String: Any]
        #expect(pauseRequest?["months"] as? Int == 2)
        let cancel = try cli.pledger(
            "events", "list", "--db", db, "--type", "pledge.cancel_requested", "--format", "json")
        let cancels = try #require(try JSONSerialization.jsonObject(with: Data(cancel.stdout.utf8)) as? [[String: Any]])
        let cancelRequest = (cancels.first?["data"] as? [String: Any])?["request"] as? [String: Any]
        #expect(cancelRequest?["reason"] as? String == "unhappy_with_coverage")
        #expect(cancelRequest?["note"] as? String == "Too few local stories")
        let shown = try cli.pledger("pledge", "show", pledge, "--db", db, "--format", "json")
        #expect(try shown.json()["status"] as? String == "active")

        // When the processor confirms the pause (here the desk records it, as a gateway's webhook would),
        let paused = try cli.pledger(
            "pledge", "pause", pledge, "--db", db, "--months", "2", "--at", "2026-11-20T00:00:00Z", "--format", "json")
        #expect(paused.status == 0, "\(paused.stderr)")
        #expect(try paused.json()["resumes_at"] as? String == "2027-01-20T00:00:00Z")
        let again = try BoxBrowserTests.walk(
            tools: tools, directory: cli.directory, script: "manage-browser.py", arguments: ["--url", url, "--paused"])
        try #require(again.status == 0, "\(again.stderr)")
        let secondLine = try #require(again.stdout.split(separator: "\n").last)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(secondLine.utf8)) as? [String: Any])
        // then the page shows it paused until its planned end, offers no second pause, and asks to resume,
        let status = try #require(second["status"] as? [String])
        #expect(status.first?.hasPrefix("Paused until 2027-01-20") == true, "\(status)")
        #expect(second["can_pause"] as? Bool == false)
        #expect(second["after_resume"] as? Bool == true)
        let resumes = try cli.pledger(
            "events", "list", "--db", db, "--type", "pledge.resume_requested", "--format", "json")
        #expect(
            (try JSONSerialization.jsonObject(with: Data(resumes.stdout.utf8)) as? [[String: Any]])?.count == 1)
        // and November's report shows the 10.00 as paused, not churned.
        let report = try cli.pledger("report", "monthly", "--db", db, "--month", "2026-11", "--format", "csv")
        #expect(report.stdout.contains("USD,mrr,paused,10.00"), "\(report.stdout)")
        #expect(report.stdout.contains("USD,mrr,churned,0.00"), "\(report.stdout)")
    }
}
