import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

/// `--allow-insecure-endpoints` and `--allow-private-endpoints`, on every command that adds or
/// delivers to endpoints; each also read from the environment.
struct EndpointSafetyOptions: ParsableArguments {
    @Flag(help: "Allow plain http to loopback, and loopback addresses (development and tests only).")
    var allowInsecureEndpoints = false
    @Flag(help: "Allow endpoint addresses in private networks (10/8, 192.168/16, fc00::/7, …).")
    var allowPrivateEndpoints = false

    /// The environment's policies with these flags on top.
    func config() throws -> PledgerConfig {
        var config = try PledgerConfig.fromEnvironment()
        if allowInsecureEndpoints { config.delivery.addresses.allowInsecure = true }
        if allowPrivateEndpoints { config.delivery.addresses.allowPrivate = true }
        return config
    }
}

/// `pledger endpoint add|list|disable|enable|rotate-secret|remove`: the publisher's URLs that
/// receive signed events.
struct EndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Manage the URLs that receive Pledger's events, signed as Standard Webhooks.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, RotateSecret.self, Remove.self],
        aliases: ["endpoints"]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an endpoint; prints its signing secret once.",
            discussion: """
                Example: pledger endpoint add --url https://hooks.example.org/pledger --events 'pledge.*,reminder.due'
                The endpoint receives the matching events written from now on (not history), signed with the \
                secret printed here (whsec_…); store it in the receiver, it is not shown again.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Where to POST events: https (http only to loopback with --allow-insecure-endpoints).")
        var url: String
        @Option(help: "Event types: exact (reminder.due), groups (pledge.*) or *; comma-separated.")
        var events: String
        @Option(help: "A note for people: what receives them.") var description: String?
        @OptionGroup var safety: EndpointSafetyOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let app = try Pledger.open(path: ledger.path, config: try safety.config())
            let added = try await app.endpoints.add(EndpointRequest(url: url, events: events, description: description))
            switch output.format {
            case .json: printOut(Views.json(Views.endpoint(added.endpoint, secret: added.secret)))
            case .text:
                printOut(
                    "Added endpoint \(added.endpoint.id)\n" + endpointLines(added.endpoint)
                        + "\nSigning secret (shown once; keep it in the receiver):\n  \(added.secret)\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List endpoints (never their secrets).")
        @OptionGroup var ledger: LedgerOptions
        @Flag(help: "Include removed endpoints.") var all = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let endpoints = try await ledger.openExisting().endpoints.list(includeRemoved: all)
            switch output.format {
            case .json: printOut(Views.json(endpoints.map { Views.endpoint($0) }))
            case .text:
                if endpoints.isEmpty { return printOut("No endpoints.\n") }
                let rows = endpoints.map { e in
                    [
                        e.id.rawValue, e.status.rawValue, e.events.description, e.url,
                        e.disabledReason ?? e.description ?? "",
                    ]
                }
                printOut(textTable(header: ["ID", "STATUS", "EVENTS", "URL", "NOTE"], rows: rows))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop deliveries to an endpoint; what it misses waits for `endpoint enable`.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The endpoint id (ep_…).") var id: ID<Endpoint>
        @OptionGroup var output: OutputOptions

        func run() async throws {
            printOut(renderEndpoint(try await ledger.openExisting().endpoints.disable(id), output.format, "Disabled"))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume deliveries where they stopped.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The endpoint id (ep_…).") var id: ID<Endpoint>
        @OptionGroup var output: OutputOptions

        func run() async throws {
            printOut(renderEndpoint(try await ledger.openExisting().endpoints.enable(id), output.format, "Enabled"))
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Give an endpoint a new secret, printed once; the old one keeps signing for 24 hours.",
            discussion: """
                For 24 hours each delivery carries two signatures, "v1,<new> v1,<old>", so the receiver can switch \
                secrets without losing a delivery.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The endpoint id (ep_…).") var id: ID<Endpoint>
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let rotated = try await ledger.openExisting().endpoints.rotateSecret(id)
            switch output.format {
            case .json: printOut(Views.json(Views.endpoint(rotated.endpoint, secret: rotated.secret)))
            case .text:
                let until = rotated.endpoint.previousSecretExpiresAt.map(Timestamp.format) ?? "now"
                printOut(
                    "Rotated the secret of endpoint \(rotated.endpoint.id); the old one signs too until \(until)\n"
                        + "New signing secret (shown once):\n  \(rotated.secret)\n")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an endpoint: nothing more is sent, its secrets are forgotten, its deliveries stay.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The endpoint id (ep_…).") var id: ID<Endpoint>
        @OptionGroup var output: OutputOptions

        func run() async throws {
            printOut(renderEndpoint(try await ledger.openExisting().endpoints.remove(id), output.format, "Removed"))
        }
    }
}

private func endpointLines(_ e: Endpoint) -> String {
    var lines = [("url", e.url), ("events", e.events.description), ("status", e.status.rawValue)]
    if let description = e.description { lines.append(("description", description)) }
    if let reason = e.disabledReason { lines.append(("disabled", reason)) }
    return keyValues(lines)
}

private func renderEndpoint(_ endpoint: Endpoint, _ format: OutputFormat, _ verb: String) -> String {
    switch format {
    case .json: Views.json(Views.endpoint(endpoint))
    case .text: "\(verb) endpoint \(endpoint.id)\n" + endpointLines(endpoint)
    }
}
