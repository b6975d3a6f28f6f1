import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct ReminderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminder",
        abstract: "\"Remind me later\": schedule, list what is due, acknowledge sending.",
        subcommands: [Schedule.self, Due.self, Sent.self, List.self]
    )

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule a reminder, or defer the reader's open one for the same campaign.",
            discussion: """
                Example: pledger reminder schedule --email reader@example.org --in 3d --campaign winter
                Default delay: 7 days ($PLEDGER_REMINDER_DELAY). Scheduling again while one is open is a deferral; \
                after 3 deferrals ($PLEDGER_REMINDER_MAX_DEFERRALS) Pledger stops asking and refuses.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The reader's e-mail address.") var email: String
        @Option(help: "The publisher's account id for the reader.") var externalRef: String?
        @Option(name: .customLong("in"), help: "Delay chosen by the reader: 90m, 12h, 3d, 2w.") var delay: String?
        @Option(help: "Exact due time (ISO 8601) instead of a delay.") var remindAt: String?
        @Option(help: "The campaign or appeal (default: default).") var campaign: String?
        @Option(help: "When the reader asked (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if delay != nil && remindAt != nil {
                throw ValidationError("give either --in or --remind-at, not both")
            }
        }

        func run() async throws {
            let when: ReminderPolicy.Request
            if let delay {
                when = .delay(try ReminderDelay.parse(delay, field: "in"))
            } else if let remindAt {
                when = .at(try Timestamp.parse(remindAt, field: "remind_at"))
            } else {
                when = .defaultDelay
            }
            let request = ReminderRequest(
                email: email, externalRef: externalRef, campaign: campaign, when: when, at: try parseAt(at))
            let result = try await ledger.open().reminders.schedule(request)
            switch output.format {
            case .json: printOut(Views.json(Views.reminder(result.reminder, deferred: result.deferred)))
            case .text:
                let r = result.reminder
                let headline =
                    result.deferred
                    ? "Deferred reminder \(r.id) (deferral \(r.deferrals))" : "Scheduled reminder \(r.id)"
                printOut(
                    headline + "\n"
                        + keyValues([
                            ("supporter", r.email ?? "(erased)"), ("campaign", r.campaign),
                            ("due", Timestamp.format(r.dueAt)),
                        ]))
            }
        }
    }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List open reminders due at a time (default now), earliest first.",
            discussion: "Hand each to the sender, then acknowledge it with `pledger reminder sent ID`."
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The time to look at (ISO 8601). Default: now.") var at: String?
        @Option(help: "At most this many.") var limit: Int = 1000
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let at = try parseAt(at)
            printOut(
                renderReminders(
                    try await ledger.openExisting().reminders.due(at: at, limit: limit), format: output.format,
                    empty: "No reminders due."))
        }
    }

    struct Sent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge that a reminder was sent. Acknowledging twice changes nothing."
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The reminder id (rm_…).") var id: ID<Reminder>
        @Option(help: "When it was sent (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let at = try parseAt(at)
            let reminder = try await ledger.open().reminders.markSent(id: id, at: at)
            switch output.format {
            case .json: printOut(Views.json(Views.reminder(reminder)))
            case .text: printOut("Reminder \(reminder.id) is \(reminder.status.rawValue)\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reminders, most recent first.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Only reminders in this status.") var status: ReminderStatus?
        @Option(help: "Only this supporter's reminders.") var email: String?
        @Option(help: "At most this many.") var limit: Int = 100
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let reminders = try await ledger.openExisting().reminders.list(status: status, email: email, limit: limit)
            printOut(renderReminders(reminders, format: output.format, empty: "No reminders."))
        }
    }
}

func renderReminders(_ reminders: [Reminder], format: OutputFormat, empty: String) -> String {
    switch format {
    case .json:
        return Views.json(reminders.map { Views.reminder($0) })
    case .text:
        if reminders.isEmpty { return empty + "\n" }
        let rows = reminders.map { r in
            [
                r.id.rawValue, r.status.rawValue, Timestamp.format(r.dueAt), "\(r.deferrals)", r.campaign,
                r.email ?? "(erased)",
            ]
        }
        return textTable(
            header: ["ID", "STATUS", "DUE", "DEFERRALS", "CAMPAIGN", "EMAIL"], rows: rows, rightAligned: [3])
    }
}
