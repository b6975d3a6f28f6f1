import ArgumentParser
import Foundation
import Logging
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: the JSON API, the webhook endpoints, /healthz and /metrics.",
        discussion: """
            Example: PLEDGER_STRIPE_WEBHOOK_SECRETS=whsec_… pledger serve --port 8080
            API routes need a bearer token (pledger token create); webhook routes are verified by signature. \
            Stops gracefully on SIGTERM or SIGINT: requests in flight finish, the database closes, exit 0.
            """
    )
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var webhooks: WebhookOptions
    @Option(help: ArgumentHelp("Address to listen on (default: $PLEDGER_HOST or 127.0.0.1).", valueName: "host"))
    var host: String?
    @Option(help: ArgumentHelp("Port (default: $PLEDGER_PORT or 8080; 0 picks a free one).", valueName: "port"))
    var port: Int?
    @Option(help: ArgumentHelp("Largest request body in bytes (default 1 MiB).", valueName: "bytes")) var bodyLimit:
        Int = ServerSettings.defaultBodyLimit
    @Flag(help: "Start without SQLite's quick_check of the ledger (it reads every page; see docs/PERFORMANCE.md).")
    var skipStartupCheck = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let host = host ?? environment["PLEDGER_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let port =
            try port ?? environment["PLEDGER_PORT"].flatMap { $0.isEmpty ? nil : $0 }.map { text in
                guard let value = Int(text) else {
                    throw PledgerError.invalid("PLEDGER_PORT", "\"\(text)\" is not a port number")
                }
                return value
            } ?? 8080
        guard (0...65_535).contains(port) else { throw PledgerError.invalid("port", "\(port) is not a port number") }
        guard bodyLimit >= 1024 else { throw PledgerError.invalid("body-limit", "must be at least 1024 bytes") }
        var config = try PledgerConfig.fromEnvironment()
        try webhooks.apply(to: &config)

        let store = try LedgerStore(path: ledger.path)
        if !skipStartupCheck { try refuseDamaged(store) }
        let app = Pledger(store: store, config: config)
        var logger = Logger(label: "pledger")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let settings = ServerSettings(host: host, port: port, bodyLimit: bodyLimit, logger: logger)
        let migrations =
            store.appliedMigrations.isEmpty ? "none pending" : store.appliedMigrations.joined(separator: ", ")
        let webhookSettings = config.webhooks.description
        try await serve(app: app, settings: settings) { boundPort in
            // One line for the operator: never a secret, only how many are configured.
            printOut(
                "pledger serving on http://\(host):\(boundPort) · database \(store.path) · migrations applied: \(migrations) · webhooks: \(webhookSettings)\n"
            )
        }
        try store.close()
        printOut("pledger stopped; database closed\n")
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once; only its SHA-256 is stored.",
            discussion: """
                Example: pledger token create --name site --scope pledges:write,reminders:write,reports:read
                Scopes: pledges:read, pledges:write, reminders:read, reminders:write, reports:read, webhooks:read \
                (a write scope includes reading the same things).
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "A name for the token (who uses it), e.g. site.") var name: String
        @Option(help: "Comma-separated scopes.") var scope: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            let scopes = try APIScope.parseList(scope)
            let (token, record) = try await ledger.open().createToken(name: name, scopes: scopes)
            switch format {
            case .json:
                struct View: Encodable {
                    let token: String
                    let name: String
                    let scopes: [String]
                }
                printOut(
                    Views.json(View(token: token, name: record.name, scopes: record.scopes.sorted().map(\.rawValue))))
            case .text:
                printOut("\(token)\n")
                FileHandle.standardError.write(
                    Data(
                        "Token \(record.name) created with \(record.scopes.sorted().map(\.rawValue).joined(separator: ", ")). It is shown only this once.\n"
                            .utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (names and scopes; never the tokens).")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            let tokens = try await ledger.openExisting().tokens()
            switch format {
            case .json:
                struct View: Encodable {
                    let name: String
                    let scopes: [String]
                    let createdAt: String
                    let revokedAt: String?
                }
                printOut(
                    Views.json(
                        tokens.map {
                            View(
                                name: $0.name, scopes: $0.scopes.sorted().map(\.rawValue),
                                createdAt: Timestamp.format($0.createdAt),
                                revokedAt: $0.revokedAt.map(Timestamp.format))
                        }))
            case .text:
                if tokens.isEmpty {
                    printOut("No tokens. Create one with: pledger token create --name site --scope pledges:write\n")
                    return
                }
                printOut(
                    textTable(
                        header: ["NAME", "SCOPES", "CREATED", "REVOKED"],
                        rows: tokens.map {
                            [
                                $0.name, $0.scopes.sorted().map(\.rawValue).joined(separator: ","),
                                Timestamp.format($0.createdAt),
                                $0.revokedAt.map(Timestamp.format) ?? "-",
                            ]
                        }))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token; requests carrying it get 401 from now on.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            let token = try await ledger.open().revokeToken(name: name)
            printOut("Revoked token \(token.name)\n")
        }
    }
}
