import ArgumentParser
import Foundation
import Logging
import PledgerApp
import PledgerCore

/// `pledger deliver --once`: what `serve` does continuously, for cron.
struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Deliver every event due now to the endpoints, then exit (for cron).",
        discussion: """
            Example (crontab): * * * * * pledger deliver --once
            Each endpoint gets its events in order; a failed delivery is retried after 5 s, 5 min, 30 min, 2 h, \
            5 h, 10 h and 10 h, by whichever run comes after. Exit 0 even when an endpoint failed: see \
            `pledger deliveries list --status failed`.
            """
    )
    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Deliver what is due now and exit (the only mode; `serve` delivers continuously).") var once = false
    @OptionGroup var safety: EndpointSafetyOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard once else { throw ValidationError("pass --once; `pledger serve` delivers continuously") }
    }

    func run() async throws {
        // Only reads what is owed: a mistyped --db is refused, never created empty.
        guard Pledger.ledgerExists(at: ledger.path) else { return try ledger.openExisting().close() }
        let app = try Pledger.open(path: ledger.path, config: try safety.config())
        var logger = Logger(label: "pledger.delivery")
        logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        let sender = app.deliveries.makeHTTPSender()
        let summary: DeliveryPassSummary
        do {
            summary = try await app.deliveries.deliverDue(sender: sender, logger: logger)
        } catch {
            try await sender.shutdown()
            throw error
        }
        try await sender.shutdown()
        switch output.format {
        case .json:
            struct View: Encodable {
                let delivered: Int
                let retrying: Int
                let failed: Int
                let endpointsDisabled: Int
            }
            printOut(
                Views.json(
                    View(
                        delivered: summary.delivered, retrying: summary.retrying, failed: summary.failed,
                        endpointsDisabled: summary.endpointsDisabled)))
        case .text:
            printOut(
                "Delivered \(summary.delivered), retrying \(summary.retrying), failed \(summary.failed)"
                    + (summary.endpointsDisabled > 0 ? ", endpoints disabled \(summary.endpointsDisabled)" : "")
                    + "\n")
        }
    }
}

/// `pledger deliveries list|retry`: what was sent where, and putting failed deliveries back.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "Inspect deliveries of events to endpoints, and retry failed ones.",
        subcommands: [List.self, Retry.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries, most recent event first.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Only this endpoint's (ep_…).") var endpoint: ID<Endpoint>?
        @Option(help: "Only deliveries in this status: pending, delivered, failed.") var status: DeliveryStatus?
        @Option(help: "At most this many.") var limit: Int = 100
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let deliveries = try await ledger.openExisting().deliveries.list(
                endpoint: endpoint, status: status, limit: limit)
            switch output.format {
            case .json: printOut(Views.json(deliveries.map(Views.delivery)))
            case .text:
                if deliveries.isEmpty { return printOut("No deliveries.\n") }
                let rows = deliveries.map { d in
                    [
                        d.id.rawValue, d.endpointID.rawValue, d.eventID.rawValue, d.eventType.rawValue,
                        d.status.rawValue, "\(d.attempts)", d.lastStatus.map(String.init) ?? "-",
                        d.nextAttemptAt.map(Timestamp.format) ?? "-", d.lastError ?? "",
                    ]
                }
                printOut(
                    textTable(
                        header: ["ID", "ENDPOINT", "EVENT", "TYPE", "STATUS", "ATTEMPTS", "HTTP", "NEXT", "ERROR"],
                        rows: rows, rightAligned: [5]))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put failed deliveries back to pending, due now: one by id, or an endpoint's since a time.",
            discussion: "Example: pledger deliveries retry --endpoint ep_… --since 2026-11-01T00:00:00Z"
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The delivery id (dlv_…).") var id: ID<Delivery>?
        @Option(help: "Every failed delivery of this endpoint (ep_…).") var endpoint: ID<Endpoint>?
        @Option(help: "With --endpoint: only events that occurred since then (ISO 8601).") var since: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (id == nil) == (endpoint == nil) {
                throw ValidationError("give a delivery id or --endpoint, one of the two")
            }
            if since != nil && endpoint == nil { throw ValidationError("--since goes with --endpoint") }
        }

        func run() async throws {
            let app = try ledger.openExisting()
            if let id {
                let delivery = try await app.deliveries.retry(id)
                switch output.format {
                case .json: printOut(Views.json(Views.delivery(delivery)))
                case .text: printOut("Delivery \(delivery.id) is pending again, due now\n")
                }
            } else if let endpoint {
                let count = try await app.deliveries.retry(
                    endpoint: endpoint, since: try parseAt(since, field: "since"))
                switch output.format {
                case .json:
                    struct View: Encodable { let retried: Int }
                    printOut(Views.json(View(retried: count)))
                case .text:
                    printOut("\(count) failed deliver\(count == 1 ? "y is" : "ies are") pending again, due now\n")
                }
            }
        }
    }
}
