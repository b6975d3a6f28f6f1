import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerTestSupport
import PledgerWebhooks
import Prometheus
import Testing

/// A service over a temporary ledger with a fixed clock, a token per scope set, and helpers.
struct TestService {
    static let now = instant("2026-11-20T12:00:00Z")
    static let stripeSecret = "whsec_http_test_secret"

    let ledger: TemporaryLedger
    let writer: String  // pledges:write, reminders:write, reports:read
    let reader: String  // reports:read only
    let metrics = PrometheusCollectorRegistry()

    /// - Parameter configure: changes to the policies before the ledger opens (the box tests add a box).
    init(
        bodyLimit: Int = ServerSettings.defaultBodyLimit, configure: (inout PledgerConfig) throws -> Void = { _ in }
    ) async throws {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(
            stripeSecrets: [Self.stripeSecret], standardSecrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        try configure(&config)
        ledger = try TemporaryLedger(now: Self.now, config: config)
        writer = try await ledger.app.operations.createToken(
            name: "site", scopes: [.pledgesWrite, .remindersWrite, .reportsRead]
        )
        .token
        reader = try await ledger.app.operations.createToken(name: "finance", scopes: [.reportsRead]).token
        self.bodyLimit = bodyLimit
    }

    let bodyLimit: Int

    var application: some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return application(logger: logger)
    }

    /// The service logging to `logger` (a ``LogRecorder``'s, to read the access log).
    func application(logger: Logger) -> some ApplicationProtocol {
        buildApplication(
            app: ledger.app, settings: ServerSettings(port: 0, bodyLimit: bodyLimit, logger: logger), metrics: metrics)
    }

    func headers(_ token: String?, json: Bool = true, extra: [HTTPField.Name: String] = [:]) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json { fields[.contentType] = "application/json" }
        for (name, value) in extra { fields[name] = value }
        return fields
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    /// `error.code` of an error body.
    func errorCode() throws -> String? {
        (try object()["error"] as? [String: Any])?["code"] as? String
    }

    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
