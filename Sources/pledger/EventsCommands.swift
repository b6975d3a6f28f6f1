import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "The outbox: what Pledger told, or will tell, the publisher's tools.",
        discussion: """
            Every change writes its event in the same transaction (docs/events.md is the catalogue); the \
            delivery service signs and sends each one to the endpoints subscribed to its type.
            """,
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List events in the order they happened.",
            discussion: """
                Example: pledger events list --type reminder.due --since 2026-11-01T00:00:00Z
                --format json prints the bodies exactly as endpoints receive them, in a JSON array.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Only events of this type.") var type: OutboundEventType?
        @Option(help: "Only events that occurred at or after this time (ISO 8601).") var since: String?
        @Option(help: "Only events after this sequence number (to page on).") var after: Int64?
        @Option(help: "At most this many.") var limit: Int = 100
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let since = try parseAt(since, field: "since")
            let events = try await ledger.openExisting().events.list(
                type: type, since: since, after: after, limit: limit)
            printOut(renderEvents(events, format: output.format))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one event's body, as endpoints receive it.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The event id (evt_…).") var id: ID<OutboundEvent>

        func run() async throws {
            printOut(try await ledger.openExisting().events.event(id: id).body + "\n")
        }
    }
}

func renderEvents(_ events: [OutboundEvent], format: OutputFormat) -> String {
    switch format {
    case .json:
        return events.isEmpty ? "[]\n" : "[\n" + events.map(\.body).joined(separator: ",\n") + "\n]\n"
    case .text:
        guard !events.isEmpty else { return "No events.\n" }
        return textTable(
            header: ["SEQ", "ID", "TYPE", "OCCURRED", "ABOUT"],
            rows: events.map { event in
                let about =
                    [
                        event.subjects.pledgeID?.rawValue, event.subjects.reminderID?.rawValue,
                        event.subjects.paymentID?.rawValue, event.subjects.supporterID?.rawValue,
                    ].compactMap { $0 }.first ?? ""
                return [
                    String(event.sequence), event.id.rawValue, event.type.rawValue,
                    Timestamp.format(event.occurredAt), about,
                ]
            }, rightAligned: [0])
    }
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "The jobs that turn time into events; `serve` runs them every minute.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every scheduled job once, as of now or --at, and say what it did.",
            discussion: """
                For cron, when `serve` is not running, and for trying a date out. Each job is idempotent: \
                run twice, it announces nothing twice.
                  - due reminders become reminder.due (the delivery then marks them sent);
                  - renewal.upcoming goes out ahead of each renewal: $PLEDGER_RENEWAL_NOTICE, default \
                annual=7d,monthly=off;
                  - pending pledges never paid within $PLEDGER_PENDING_EXPIRY (default 48h) expire, with \
                pledge.expired;
                  - paused pledges whose planned end has come resume, dated at that end, with pledge.resumed.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Run as of this time (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let at = try parseAt(at)
            let run = try await ledger.open().jobs.run(at: at)
            switch output.format {
            case .json: printOut(Views.json(Views.jobRun(run)))
            case .text:
                printOut(
                    "Jobs run as of \(Timestamp.format(run.at))\n"
                        + keyValues([
                            ("reminders due", String(run.remindersDue)),
                            ("renewal notices", String(run.renewalsUpcoming)),
                            ("pledges expired", String(run.pledgesExpired)),
                            ("requests purged", String(run.reminderRequestsPurged)),
                            ("pledges resumed", String(run.pledgesResumed)),
                        ]))
            }
        }
    }
}
