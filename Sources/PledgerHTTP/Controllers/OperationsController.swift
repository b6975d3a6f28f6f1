import Foundation
import Hummingbird
import PledgerApp
import PledgerWebhooks
import Prometheus

/// What probes and operators read: `/healthz`, `/metrics`, and the API's own description.
struct OperationsController: Sendable {
    let operations: Operations
    let deliveries: DeliveryService
    let metrics: PrometheusCollectorRegistry

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get("healthz", use: health)
            .get("metrics", use: prometheus)
            .get("v1/openapi.yaml", use: openAPI)
    }

    func health(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        struct Health: Encodable {
            let status: String
            let database: String
        }
        guard await operations.isHealthy() else {
            return JSONResponse.make(.serviceUnavailable, Health(status: "unavailable", database: "not answering"))
        }
        return JSONResponse.make(.ok, Health(status: "ok", database: "ok"))
    }

    func prometheus(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        // Read at scrape time: the age grows while nothing happens, which a counter could not show.
        if let age = try? await deliveries.oldestUndeliveredAge() {
            metrics.recordOldestUndelivered(age: age)
        }
        return JSONResponse.raw(
            .ok, Array(metrics.render().utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    func openAPI(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        JSONResponse.raw(.ok, Array(OpenAPIDocument.yaml.utf8), contentType: "application/yaml; charset=utf-8")
    }
}
