import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerApp
import PledgerCore
import ServiceLifecycle
import UnixSignals

/// The route table: the one list of what the service answers, checked against docs/openapi.yaml.
enum RouteTable {
    static let api: [(HTTPRequest.Method, String)] = [
        (.post, "/v1/pledges"), (.get, "/v1/pledges"), (.get, "/v1/pledges/{id}"), (.post, "/v1/pledges/{id}/cancel"),
        (.post, "/v1/reminders"), (.get, "/v1/reminders/due"), (.post, "/v1/reminders/{id}/sent"),
        (.get, "/v1/reports/monthly"),
    ]
    static let open: [(HTTPRequest.Method, String)] = [
        (.post, "/v1/webhooks/stripe"), (.post, "/v1/webhooks/standard"),
        (.get, "/healthz"), (.get, "/metrics"), (.get, "/v1/openapi.yaml"),
    ]
}

/// Builds the router: access log and error mapping around everything, bearer tokens on the API,
/// webhooks authenticated by their signatures alone.
public func buildRouter(app: Pledger, settings: ServerSettings, metrics: ServiceMetrics = ServiceMetrics()) -> Router<
    PledgerRequestContext
> {
    let routes = Routes(app: app, reader: RequestReader(bodyLimit: settings.bodyLimit), metrics: metrics)
    let router = Router(context: PledgerRequestContext.self)
    router.add(middleware: RequestLogMiddleware(logger: settings.logger, metrics: metrics))

    router.get("/healthz", use: routes.health)
    router.get("/metrics", use: routes.prometheus)
    router.get("/v1/openapi.yaml", use: routes.openAPI)
    router.post("/v1/webhooks/stripe", use: routes.webhook(.stripe))
    router.post("/v1/webhooks/standard", use: routes.webhook(.standard))

    let api = router.group("/v1").add(middleware: AuthenticationMiddleware { try await app.authenticate(bearer: $0) })
    api.post("/pledges", use: routes.createPledge)
    api.get("/pledges", use: routes.listPledges)
    api.get("/pledges/{id}", use: routes.getPledge)
    api.post("/pledges/{id}/cancel", use: routes.cancelPledge)
    api.post("/reminders", use: routes.scheduleReminder)
    api.get("/reminders/due", use: routes.dueReminders)
    api.post("/reminders/{id}/sent", use: routes.reminderSent)
    api.get("/reports/monthly", use: routes.monthlyReport)
    return router
}

/// Builds the service for `pledger serve` and for tests (which need no socket with `.router`).
/// - Parameter onServerRunning: called with the bound port once listening (port 0 picks one).
public func buildApplication(
    app: Pledger, settings: ServerSettings, metrics: ServiceMetrics = ServiceMetrics(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(app: app, settings: settings, metrics: metrics),
        server: .http1(additionalChannelHandlers: [HeaderOverflowHandler(logger: settings.logger)]),
        configuration: ApplicationConfiguration(
            address: .hostname(settings.host, port: settings.port), serverName: "pledger"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: settings.logger)
}

/// Runs the service until SIGTERM or SIGINT, through swift-service-lifecycle: on a signal the
/// server stops accepting, requests in flight finish, and this returns so the caller can close
/// the database and exit 0.
public func serve(
    app: Pledger, settings: ServerSettings, metrics: ServiceMetrics = ServiceMetrics(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let application = buildApplication(app: app, settings: settings, metrics: metrics, onServerRunning: onServerRunning)
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: [.init(service: application, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: settings.logger))
    try await group.run()
}
