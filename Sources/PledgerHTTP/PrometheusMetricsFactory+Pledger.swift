import Prometheus

extension PrometheusMetricsFactory {
    /// Upper bounds of the request latency buckets.
    static let pledgerLatencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    /// A factory over `registry` that gives Hummingbird's `MetricsMiddleware` figures the names
    /// and labels `/metrics` has always shown, so dashboards and alerts keep working:
    /// `hb.requests` → `pledger_http_requests_total{method,route,status}`,
    /// `http.server.request.duration` → `pledger_http_request_duration_seconds{method,route}`,
    /// `hb.request.errors` → `pledger_http_request_errors_total{method,route,status}`,
    /// `http.server.active_requests` → `pledger_http_active_requests{method}`.
    /// A request that matched no route is labelled `unmatched`.
    static func pledger(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = pledgerLatencyBuckets
        factory.nameAndLabelSanitizer = { name, labels in
            let value = { (key: String) in labels.first { $0.0 == key }?.1 ?? "" }
            let route = { () -> String in
                let route = value("http.route")
                // Hummingbird's placeholders for a request no route matched.
                return route == "Unknown" || route == "NotFound" || route.isEmpty ? "unmatched" : route
            }
            let method = value("http.request.method")
            switch name {
            case "hb.requests":
                return (
                    "pledger_http_requests_total",
                    [("method", method), ("route", route()), ("status", value("http.response.status_code"))]
                )
            case "http.server.request.duration":
                // Per method and route, as before: every status in one histogram.
                return ("pledger_http_request_duration_seconds", [("method", method), ("route", route())])
            case "hb.request.errors":
                return (
                    "pledger_http_request_errors_total",
                    [("method", method), ("route", route()), ("status", value("error.type"))]
                )
            case "http.server.active_requests":
                return ("pledger_http_active_requests", [("method", method)])
            default:
                return (name, labels)
            }
        }
        return factory
    }
}
