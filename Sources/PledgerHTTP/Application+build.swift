import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerApp
import PledgerCore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// Builds the router: access log and error mapping around everything, bearer tokens on the API,
/// webhooks authenticated by their signatures alone.
public func buildRouter(
    app: Pledger, settings: ServerSettings, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) -> Router<
    PledgerRequestContext
> {
    let reader = RequestReader(bodyLimit: settings.bodyLimit)
    let idempotency = IdempotentRoute(writes: app.idempotency)
    let router = Router(context: PledgerRequestContext.self)
    // Outside the access log, so Hummingbird's MetricsMiddleware sees each error already mapped to its status.
    router.add(middleware: MetricsFactoryMiddleware(factory: PrometheusMetricsFactory.pledger(registry: metrics)))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware(logger: settings.logger))

    router.addRoutes(
        OperationsController(operations: app.operations, deliveries: app.deliveries, metrics: metrics).endpoints)
    router.addRoutes(
        WebhooksController(webhooks: app.webhooks, reader: reader, metrics: metrics).endpoints,
        atPath: "/v1/webhooks")

    // The reader's box: public routes with their own key and CORS, before the bearer-token group.
    router.addRoutes(BoxController(box: app.box).endpoints, atPath: "/v1/public")
    router.addRoutes(BoxPagesController(box: app.box).endpoints)
    router.addRoutes(SupporterPagesController(supporters: app.supporters).endpoints)

    let api = router.group("/v1").add(
        middleware: AuthenticationMiddleware { try await app.operations.authenticate(bearer: $0) })
    api.addRoutes(
        PledgesController(pledges: app.pledges, idempotency: idempotency, reader: reader, clock: app.clock).endpoints,
        atPath: "/pledges")
    api.addRoutes(
        RemindersController(reminders: app.reminders, idempotency: idempotency, reader: reader).endpoints,
        atPath: "/reminders")
    api.addRoutes(ReportsController(reports: app.reports).endpoints, atPath: "/reports")
    api.addRoutes(EndpointsController(service: app.endpoints, reader: reader).endpoints, atPath: "/endpoints")
    api.addRoutes(SupportersController(supporters: app.supporters, reader: reader).endpoints, atPath: "/supporters")
    return router
}

/// Builds the service for `pledger serve` and for tests (which need no socket with `.router`).
/// - Parameter onServerRunning: called with the bound port once listening (port 0 picks one).
public func buildApplication(
    app: Pledger, settings: ServerSettings, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
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
    app: Pledger, settings: ServerSettings, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let application = buildApplication(app: app, settings: settings, metrics: metrics, onServerRunning: onServerRunning)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup)
    ]
    if settings.runJobs {
        services.append(.init(service: ScheduledJobsService(jobs: app.jobs, logger: settings.logger)))
    }
    // The deliverer runs beside the server and stops with it; its HTTP client closes after both.
    let sender = settings.deliver ? app.deliveries.makeHTTPSender() : nil
    if let sender {
        services.append(
            .init(
                service: DeliveryRunner(
                    deliveries: app.deliveries, sender: sender, observer: PrometheusDeliveryObserver(registry: metrics),
                    logger: settings.logger)))
    }
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: settings.logger))
    do {
        try await group.run()
    } catch {
        try? await sender?.shutdown()
        throw error
    }
    try await sender?.shutdown()
}
