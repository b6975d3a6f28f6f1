import ArgumentParser
import Foundation
import Logging
import PledgerApp
import PledgerCore
import PledgerHTTP

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
    @OptionGroup var safety: EndpointSafetyOptions
    @Option(
        help: ArgumentHelp(
            "The reader's box configuration, TOML or JSON (default: $PLEDGER_BOX; see Fixtures/box/box.toml).",
            valueName: "file"))
    var box: String?
    @Flag(help: "Do not deliver events to endpoints from this process (run `pledger deliver --once` instead).")
    var noDeliver = false
    @Flag(help: "Do not run the scheduled jobs from this process (run `pledger jobs run` from cron instead).")
    var noJobs = false
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
        var config = try safety.config()
        try webhooks.apply(to: &config)
        if let path = box ?? environment["PLEDGER_BOX"].flatMap({ $0.isEmpty ? nil : $0 }) {
            // A wrong file stops here, naming the key, rather than serving a box that fails later.
            config.box = try BoxConfigurationFile.load(path: path, config: config)
        }

        let app = try Pledger.open(path: ledger.path, config: config)
        if !skipStartupCheck { try refuseDamaged(app) }
        var logger = Logger(label: "pledger")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let settings = ServerSettings(
            host: host, port: port, bodyLimit: bodyLimit, logger: logger, deliver: !noDeliver, runJobs: !noJobs)
        let migrations =
            app.appliedMigrations.isEmpty ? "none pending" : app.appliedMigrations.joined(separator: ", ")
        let webhookSettings = config.webhooks.description
        let boxState = config.box == nil ? "off" : "on"
        try await serve(app: app, settings: settings) { boundPort in
            // One line for the operator: never a secret, only how many are configured.
            printOut(
                "pledger serving on http://\(host):\(boundPort) · database \(app.ledgerPath) · migrations applied: \(migrations) · webhooks: \(webhookSettings) · box: \(boxState)\n"
            )
        }
        try app.close()
        printOut("pledger stopped; database closed\n")
    }
}
