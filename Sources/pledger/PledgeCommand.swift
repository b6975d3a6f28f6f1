import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

struct PledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pledge",
        abstract: "Record, show, list, change, pause, resume and cancel pledges.",
        subcommands: [Record.self, Show.self, List.self, Cancel.self, ChangeAmount.self, Pause.self, Resume.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a reader's pledge (pending until its first payment).",
            discussion: """
                Example: pledger pledge record --email reader@example.org --amount 5.00 --currency USD --cadence monthly --source article-footer
                The supporter is found by e-mail (trimmed, lower-cased) or created. Their open reminders are converted.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The reader's e-mail address.") var email: String
        @Option(help: "The publisher's account id for the reader.") var externalRef: String?
        @Option(help: "The amount in major units, e.g. 5.00 (at least the currency's minimum).") var amount: String
        @Option(help: "ISO 4217 code in capitals, e.g. USD.") var currency: String
        @Option(help: "How often: one_off (once), monthly or annual (yearly).") var cadence: Cadence
        @Option(help: "Where on the site it came from, e.g. article-footer.") var source: String?
        @Option(help: "When it happened (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let currency = try Currency.parse(currency)
            let request = PledgeRequest(
                email: email, externalRef: externalRef, amount: try Money.parse(amount, currency: currency),
                cadence: cadence, source: source, at: try parseAt(at))
            let app = try ledger.open()
            let pledge = try await app.pledges.record(request)
            printOut(render(pledge, app: app, format: output.format, headline: "Recorded pledge"))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one pledge.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The pledge id (pl_…).") var id: ID<Pledge>
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let app = try ledger.openExisting()
            let (pledge, attribution) = try await app.pledges.pledgeWithAttribution(id: id)
            printOut(render(pledge, app: app, format: output.format, headline: "Pledge", attribution: attribution))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pledges, newest first.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Only pledges in this status.") var status: PledgeStatus?
        @Option(help: "Only this supporter's pledges.") var email: String?
        @Option(help: "At most this many.") var limit: Int = 100
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let app = try ledger.openExisting()
            let pledges = try await app.pledges.list(status: status, email: email, limit: limit)
            let now = app.clock.now
            switch output.format {
            case .json:
                printOut(Views.json(pledges.map { Views.pledge($0, now: now) }))
            case .text:
                if pledges.isEmpty {
                    printOut("No pledges.\n")
                    return
                }
                let rows = pledges.map { p in
                    [
                        p.id.rawValue, p.status.rawValue, p.cadence.rawValue, p.amount.grouped, p.email ?? "(erased)",
                        Timestamp.format(p.createdAt),
                    ]
                }
                printOut(
                    textTable(
                        header: ["ID", "STATUS", "CADENCE", "AMOUNT", "EMAIL", "CREATED"], rows: rows, rightAligned: [3]
                    ))
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a pending, active, past-due or paused pledge.",
            discussion: "A cancelled recurring pledge stops counting towards MRR at --at."
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The pledge id (pl_…).") var id: ID<Pledge>
        @Option(help: "When it happened (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let at = try parseAt(at)
            let app = try ledger.open()
            printOut(
                render(
                    try await app.pledges.cancel(id: id, at: at), app: app, format: output.format,
                    headline: "Cancelled pledge"
                ))
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause an active or past-due recurring pledge.",
            discussion: """
                A paused pledge stops counting towards MRR at --at (the monthly report shows it as \
                "− paused", not as churn) and gets no renewal notices. With --months or --until it \
                resumes by itself then (the scheduled jobs do it); without, it stays paused until \
                `pledger pledge resume` or the processor's webhook resumes it. Pledger calls no \
                processor: pause the subscription there too.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The pledge id (pl_…).") var id: ID<Pledge>
        @Option(help: "Resume by itself after this many months (1, 2 or 3).") var months: Int?
        @Option(help: "Resume by itself at this instant (ISO 8601).") var until: String?
        @Option(help: "When the pause begins (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if months != nil, until != nil {
                throw ValidationError("give --months or --until, not both")
            }
        }

        func run() async throws {
            let at = try parseAt(at)
            let length: PledgeService.PauseLength? =
                if let months { .months(months) } else if let until {
                    .until(try Timestamp.parse(until, field: "until"))
                } else { nil }
            let app = try ledger.open()
            let paused: Pledge
            do {
                paused = try await app.pledges.pause(id: id, length: length, at: at)
            } catch let error as PledgerError where error.field == "resumes_at" {
                // The API's field is this command's --until: the error names what the user typed.
                throw PledgerError.invalid("until", error.message)
            }
            printOut(render(paused, app: app, format: output.format, headline: "Paused pledge"))
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused pledge.",
            discussion: "Its MRR counts again from --at (\"+ resumed\" in the monthly report)."
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The pledge id (pl_…).") var id: ID<Pledge>
        @Option(help: "When it resumed (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let at = try parseAt(at)
            let app = try ledger.open()
            printOut(
                render(
                    try await app.pledges.resume(id: id, at: at), app: app, format: output.format,
                    headline: "Resumed pledge"))
        }
    }

    struct ChangeAmount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change-amount",
            abstract: "Upgrade or downgrade a recurring pledge, or move it between monthly and annual, from --at on.",
            discussion: """
                The old amount and cadence are kept as history; MRR uses the amount and cadence in force \
                at each instant. Give --amount, --cadence or both.
                Example: pledger pledge change-amount pl_… --amount 100.00 --cadence annual
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The pledge id (pl_…).") var id: ID<Pledge>
        @Option(help: "The new amount in major units, in the pledge's currency.") var amount: String?
        @Option(help: "The new cadence: monthly or annual (a recurring pledge never becomes one_off).")
        var cadence: Cadence?
        @Option(help: "When it happened (ISO 8601). Default: now.") var at: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard amount != nil || cadence != nil else {
                throw ValidationError("give --amount, --cadence, or both")
            }
        }

        func run() async throws {
            let at = try parseAt(at)
            let app = try ledger.open()
            let current = try await app.pledges.pledge(id: id)
            let amount = try amount.map { text in try Money.parse(text, currency: current.amount.currency) }
            let pledge = try await app.pledges.changeTerms(id: id, amount: amount, cadence: cadence, at: at)
            printOut(render(pledge, app: app, format: output.format, headline: "Changed pledge"))
        }
    }
}

func render(
    _ pledge: Pledge, app: Pledger, format: OutputFormat, headline: String, attribution: Attribution? = nil
) -> String {
    let view = Views.pledge(pledge, now: app.clock.now, attribution: attribution)
    switch format {
    case .json:
        return Views.json(view)
    case .text:
        var lines: [(String, String)] = [
            ("status", pledge.status.rawValue),
            ("supporter", pledge.email ?? "(erased)"),
            ("amount", "\(pledge.amount.grouped) \(pledge.cadence.rawValue)"),
        ]
        if let ref = pledge.externalRef { lines.append(("external ref", ref)) }
        if let source = pledge.source { lines.append(("source", source)) }
        lines.append(("created", view.createdAt))
        if let first = view.firstPaidAt { lines.append(("first paid", first)) }
        if let cancelled = view.cancelledAt { lines.append(("cancelled", cancelled)) }
        if let next = view.nextDueAt { lines.append(("next due", next)) }
        if pledge.status == .paused { lines.append(("resumes", view.resumesAt ?? "when resumed")) }
        if let attribution {
            lines.append(("from page", attribution.pagePath))
            lines.append(("campaign", attribution.campaign))
            if let host = attribution.referrerHost { lines.append(("referrer", host)) }
            for (key, value) in attribution.utm.sorted(by: { $0.key < $1.key }) { lines.append((key, value)) }
        }
        return "\(headline) \(pledge.id)\n" + keyValues(lines)
    }
}

func keyValues(_ lines: [(String, String)]) -> String {
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { "  " + $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 + "\n" }.joined()
}

func textTable(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { column, cell in
            let pad = String(repeating: " ", count: widths[column] - cell.count)
            return rightAligned.contains(column) ? pad + cell : cell + pad
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
    }.joined()
}
