import Foundation
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerWebhooks
import Prometheus

/// `/v1/webhooks/{stripe,standard}`: processor deliveries, authenticated by their signatures alone.
struct WebhooksController: Sendable {
    let webhooks: WebhookIngestion
    let reader: RequestReader
    let metrics: PrometheusCollectorRegistry

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .post("stripe", use: webhook(.stripe))
            .post("standard", use: webhook(.standard))
    }

    /// No token: the signature is the authentication. 200 for every accepted outcome so the
    /// processor stops retrying; 400 with the verification error's code when rejected.
    func webhook(_ provider: WebhookProvider) -> @Sendable (Request, PledgerRequestContext) async throws -> Response {
        { request, _ in
            let body = try await reader.bytes(request)
            let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
            let result = try await webhooks.ingest(WebhookDelivery(provider: provider, headers: headers, body: body))
            metrics.recordWebhook(provider: provider.rawValue, outcome: result.outcome.rawValue)
            if result.outcome == .conflict {
                throw APIError(
                    .conflict, code: "event_conflict", message: result.detail ?? "event id reused with another body")
            }
            guard result.outcome.isAccepted, result.error == nil else {
                throw APIError(
                    .badRequest, code: result.error?.code ?? "rejected",
                    message: result.detail ?? "verification failed", field: result.error?.header)
            }
            return JSONResponse.make(.ok, Views.webhookResult(result))
        }
    }
}
