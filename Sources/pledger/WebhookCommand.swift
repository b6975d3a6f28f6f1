import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// `pledger webhook ingest|sign|list|replay` (also spelt `webhooks`): processor deliveries from the
/// command line, and the stored events.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Verify and apply processor webhooks without HTTP, sign test events, list and replay stored ones.",
        subcommands: [Ingest.self, Sign.self, List.self, Replay.self],
        aliases: ["webhooks"]
    )

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a webhook body from stdin against its headers and apply it exactly once.",
            discussion: """
                Example: pledger webhook ingest --provider stripe --header "Stripe-Signature: t=…,v1=…" < event.json
                Exit 0 for processed, duplicate, ignored or unmatched (the processor is told it arrived); \
                1 for rejected (the signature failed: nothing is stored); 2 for a verified body Pledger cannot read.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var webhooks: WebhookOptions
        @Option(help: "Whose signature scheme the delivery uses.") var provider: WebhookProvider
        @Option(
            name: .customLong("header"),
            help: ArgumentHelp("A header as 'Name: value'; repeat for each.", valueName: "header"))
        var headers: [String] = []
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let parsed = try headers.map { line throws -> (name: String, value: String) in
                guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                    throw PledgerError.invalid("header", "\"\(line.prefix(40))\" is not 'Name: value'")
                }
                return (
                    String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                    String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                )
            }
            let body = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            var config = try PledgerConfig.fromEnvironment()
            try webhooks.apply(to: &config)
            let app = try Pledger.open(path: ledger.path, config: config)
            let result = try await app.webhooks.ingest(WebhookDelivery(provider: provider, headers: parsed, body: body))
            printOut(render(result, format: output.format))
            if !result.outcome.isAccepted {
                throw CommandFailure(message: "webhook rejected: \(result.detail ?? "verification failed")", status: 1)
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the headers a sender would attach to the body on stdin, for testing integrations.",
            discussion: """
                Example: pledger webhook sign --scheme stripe --secret whsec_test < event.json
                The timestamp defaults to now; --id is the Standard Webhooks message id (default: a new msg_… id).
                """
        )
        @Option(help: "stripe or standard.") var scheme: String
        @Option(help: "The endpoint secret to sign with.") var secret: String
        @Option(help: "Unix seconds to sign at (default: now).") var timestamp: Int64?
        @Option(help: "The webhook-id for the standard scheme.") var id: String?

        func run() throws {
            let provider = try WebhookProvider.parse(scheme, field: "scheme")
            let body = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            let timestamp = timestamp ?? Int64(Date().timeIntervalSince1970)
            do throws(SignatureError) {
                switch provider {
                case .stripe:
                    printOut(
                        "Stripe-Signature: \(StripeSignatureScheme.sign(body: body, secret: secret, timestamp: timestamp))\n"
                    )
                case .standard:
                    let id = id ?? EntityID.make("msg")
                    let signature = try StandardWebhooksScheme.sign(
                        id: id, timestamp: timestamp, body: body, secret: secret)
                    printOut("webhook-id: \(id)\nwebhook-timestamp: \(timestamp)\nwebhook-signature: \(signature)\n")
                }
            } catch {
                throw PledgerError.invalid("secret", error.message)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored webhook events, newest first.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Only this outcome: processed, ignored, unmatched or conflict (the ones kept).")
        var outcome: WebhookOutcome?

        func validate() throws {
            if let outcome, !WebhookOutcome.stored.contains(outcome) {
                let names = WebhookOutcome.stored.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--outcome \(outcome.rawValue) is never stored; use one of \(names)")
            }
        }
        @Option(help: "At most this many.") var limit: Int = 100
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let events = try await ledger.openExisting().webhooks.events(outcome: outcome, limit: limit)
            switch output.format {
            case .json:
                printOut(Views.json(events.map(Views.webhookEvent)))
            case .text:
                if events.isEmpty {
                    printOut("No webhook events.\n")
                    return
                }
                let rows = events.map { e in
                    [
                        e.eventID, e.provider.rawValue, e.type, e.outcome.rawValue, Timestamp.format(e.receivedAt),
                        e.detail ?? "",
                    ]
                }
                printOut(textTable(header: ["EVENT", "PROVIDER", "TYPE", "OUTCOME", "RECEIVED", "DETAIL"], rows: rows))
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-apply a stored unmatched event, e.g. after its payment or pledge was recorded.",
            discussion: "Exactly-once still holds: money already booked is not booked again."
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The event id (evt_… or the webhook-id).") var eventID: String
        @Option(help: "The provider, when both sent this id.") var provider: WebhookProvider?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let result = try await ledger.open().webhooks.replay(eventID: eventID, provider: provider)
            printOut(render(result, format: output.format))
        }
    }
}

func render(_ result: WebhookResult, format: OutputFormat) -> String {
    switch format {
    case .json:
        return Views.json(Views.webhookResult(result))
    case .text:
        var line = result.outcome.rawValue
        if let id = result.eventID { line += " \(id)" }
        if let type = result.type { line += " (\(type))" }
        if let detail = result.detail { line += ": \(detail)" }
        return line + "\n"
    }
}

/// Webhook options shared by `webhook ingest` (and later `serve`): flags override the environment.
struct WebhookOptions: ParsableArguments {
    @Option(name: .customLong("stripe-secret"), help: secretHelp("A Stripe endpoint secret (whsec_…)", "STRIPE"))
    var stripeSecrets: [String] = []
    @Option(
        name: .customLong("standard-secret"),
        help: secretHelp("A Standard Webhooks secret (whsec_<base64>)", "STANDARD"))
    var standardSecrets: [String] = []
    @Option(
        help: ArgumentHelp(
            "Seconds a signed timestamp may be away from now (default: $PLEDGER_WEBHOOK_TOLERANCE or 300).",
            valueName: "seconds"))
    var tolerance: String?

    /// Both secrets' help: repeatable for rotation, newest first, defaulting to the environment.
    private static func secretHelp(_ what: String, _ variable: String) -> ArgumentHelp {
        ArgumentHelp(
            "\(what); repeat for rotation, newest first.",
            discussion: "Default: $PLEDGER_\(variable)_WEBHOOK_SECRETS (comma-separated).", valueName: "secret")
    }

    func apply(to config: inout PledgerConfig) throws {
        if !stripeSecrets.isEmpty { config.webhooks.stripeSecrets = stripeSecrets }
        if !standardSecrets.isEmpty { config.webhooks.standardSecrets = standardSecrets }
        if let tolerance {
            config.webhooks.tolerance = try WebhookSettings.parseTolerance(tolerance, field: "tolerance")
        }
    }
}
