import Foundation
import Testing

/// `pledger jobs run` and `pledger events list` as an operator uses them from cron or a shell.
@Suite("Events and jobs on the command line")
struct EventsCommandLineTests {
    let cli = try! CommandLineTests()

    @Test("A reminder scheduled in the past comes due in `jobs run`, once, and `events list` shows it")
    func reminderComesDue() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let scheduled = try cli.pledger(
            "reminder", "schedule", "--email", "later@example.org", "--in", "3d", "--at", "2026-11-01T09:00:00Z",
            "--format", "json")
        #expect(scheduled.status == 0, "\(scheduled.stderr)")
        let reminderID = try #require(try scheduled.json()["id"] as? String)

        let early = try cli.pledger("jobs", "run", "--at", "2026-11-04T08:00:00Z", "--format", "json")
        #expect(early.status == 0, "\(early.stderr)")
        #expect(try early.json()["reminders_due"] as? Int == 0)
        let due = try cli.pledger("jobs", "run", "--at", "2026-11-04T09:00:00Z")
        #expect(due.status == 0, "\(due.stderr)")
        // The label column is as wide as the longest label ("reminder requests purged" since the box).
        #expect(due.stdout.range(of: #"reminders due +1\n"#, options: .regularExpression) != nil, "\(due.stdout)")
        let again = try cli.pledger("jobs", "run", "--at", "2026-11-04T09:30:00Z", "--format", "json")
        #expect(try again.json()["reminders_due"] as? Int == 0)

        let listed = try cli.pledger("events", "list", "--type", "reminder.due", "--format", "json")
        #expect(listed.status == 0, "\(listed.stderr)")
        let bodies = try #require(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(bodies.count == 1)
        let data = try #require(bodies.first?["data"] as? [String: Any])
        #expect((data["reminder"] as? [String: Any])?["id"] as? String == reminderID)
        #expect((data["supporter"] as? [String: Any])?["email"] as? String == "later@example.org")

        let table = try cli.pledger("events", "list")
        #expect(table.stdout.contains("reminder.scheduled") && table.stdout.contains("reminder.due"), "\(table.stdout)")
        let eventID = try #require(bodies.first?["id"] as? String)
        let shown = try cli.pledger("events", "show", eventID)
        #expect(shown.status == 0 && shown.stdout.contains("\"type\":\"reminder.due\""), "\(shown.stdout)")
    }

    @Test("Bad input names the option and changes nothing")
    func badInput() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        _ = try cli.pledger("reminder", "schedule", "--email", "a@example.org", "--at", "2026-11-01T09:00:00Z")
        let type = try cli.pledger("events", "list", "--type", "pledge.creatd")
        #expect(type.status == 2)
        #expect(type.stderr.contains("--type"), "\(type.stderr)")
        let at = try cli.pledger("jobs", "run", "--at", "tomorrow")
        #expect(at.status == 2)
        #expect(at.stderr.contains("at"), "\(at.stderr)")
        let env = try cli.pledger("jobs", "run", environment: ["PLEDGER_RENEWAL_NOTICE": "weekly=3d"])
        #expect(env.status == 2)
        #expect(env.stderr.contains("PLEDGER_RENEWAL_NOTICE"), "\(env.stderr)")
        let missing = try cli.pledger("events", "show", "evt_nothing")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("evt_nothing"), "\(missing.stderr)")
    }
}
