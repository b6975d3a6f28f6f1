import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerHTTP
import Prometheus
import Testing

/// `/metrics`: Hummingbird's MetricsMiddleware and swift-prometheus, under the names `/metrics`
/// has always shown, each application with its own registry.
@Suite("Metrics")
struct MetricsTests {
    @Test("Requests by method, route and status, latency by method and route, under Pledger's names")
    func names() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            for _ in 0..<2 {
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            }
            let unauthorized = try await client.execute(uri: "/v1/pledges/pl_nothing", method: .get)
            #expect(unauthorized.status == .unauthorized)
            #expect(try await client.execute(uri: "/no/such/path", method: .get).status == .notFound)
            let text = try await client.execute(uri: "/metrics", method: .get).text
            #expect(text.contains(#"pledger_http_requests_total{method="GET",route="/healthz",status="200"} 2"#))
            // An error mapped by the access log's middleware is counted under its own status, not 500.
            #expect(
                text.contains(#"pledger_http_requests_total{method="GET",route="/v1/pledges/{id}",status="401"} 1"#))
            #expect(text.contains(#"pledger_http_requests_total{method="GET",route="unmatched",status="404"} 1"#))
            #expect(text.contains("# TYPE pledger_http_requests_total counter"))
            #expect(text.contains("# TYPE pledger_http_request_duration_seconds histogram"))
            for bound in ["0.005", "0.25", "2.5", "+Inf"] {
                #expect(
                    text.contains(
                        #"pledger_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="\#(bound)"} "#),
                    "\(bound)")
            }
            #expect(text.contains(#"pledger_http_request_duration_seconds_count{method="GET",route="/healthz"} 2"#))
            #expect(text.contains(#"pledger_http_request_duration_seconds_sum{method="GET",route="/healthz"} "#))
            // The /metrics request itself is counted once it has been answered.
            #expect(!text.contains(#"route="/metrics""#))
            let again = try await client.execute(uri: "/metrics", method: .get).text
            #expect(again.contains(#"pledger_http_requests_total{method="GET",route="/metrics",status="200"} 1"#))
            #expect(again.contains(#"pledger_http_active_requests{method="GET"} "#))
        }
    }

    @Test("Two applications in one process keep separate figures")
    func hermetic() async throws {
        let first = try await TestService()
        let second = try await TestService()
        async let one: Void = first.application.test(.router) { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/healthz", method: .get) }
        }
        async let two: Void = second.application.test(.router) { client in
            _ = try await client.execute(uri: "/healthz", method: .get)
        }
        _ = try await (one, two)
        #expect(first.metrics.emitToString().contains(#"route="/healthz",status="200"} 3"#))
        #expect(second.metrics.emitToString().contains(#"route="/healthz",status="200"} 1"#))
        // Nothing leaks into the process-wide registry a bootstrap would use.
        #expect(!PrometheusMetricsFactory.defaultRegistry.emitToString().contains("pledger_http"))
    }
}
