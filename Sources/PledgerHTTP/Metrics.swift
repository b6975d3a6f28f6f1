import Foundation
import Synchronization

/// Counters and latency histograms rendered as Prometheus text at `GET /metrics`.
public final class ServiceMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    private struct RouteKey: Hashable { let method: String, route: String, status: Int }
    private struct Histogram {
        var counts = [Int](repeating: 0, count: ServiceMetrics.buckets.count)
        var total = 0
        var sum: Double = 0
    }
    private struct State {
        var requests: [RouteKey: Int] = [:]
        var latency: [String: Histogram] = [:]  // by "METHOD route"
        var webhooks: [String: Int] = [:]  // by "provider outcome"
    }

    private let state = Mutex(State())

    public init() {}

    func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[RouteKey(method: method, route: route, status: status), default: 0] += 1
            var histogram = state.latency["\(method) \(route)"] ?? Histogram()
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound {
                histogram.counts[index] += 1
            }
            histogram.total += 1
            histogram.sum += seconds
            state.latency["\(method) \(route)"] = histogram
        }
    }

    func recordWebhook(provider: String, outcome: String) {
        state.withLock { $0.webhooks["\(provider) \(outcome)", default: 0] += 1 }
    }

    /// The Prometheus text exposition format.
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var lines = [
            "# HELP pledger_http_requests_total HTTP requests by method, route and status.",
            "# TYPE pledger_http_requests_total counter",
        ]
        for (key, count) in snapshot.requests.sorted(by: {
            ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
        }) {
            lines.append(
                "pledger_http_requests_total{method=\"\(key.method)\",route=\"\(key.route)\",status=\"\(key.status)\"} \(count)"
            )
        }
        lines += [
            "# HELP pledger_http_request_duration_seconds Request latency by method and route.",
            "# TYPE pledger_http_request_duration_seconds histogram",
        ]
        for (name, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: " ", maxSplits: 1)
            let labels = "method=\"\(parts[0])\",route=\"\(parts.count > 1 ? parts[1] : "")\""
            for (index, bound) in Self.buckets.enumerated() {
                lines.append(
                    "pledger_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(histogram.counts[index])"
                )
            }
            lines.append("pledger_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(histogram.total)")
            lines.append("pledger_http_request_duration_seconds_sum{\(labels)} \(histogram.sum)")
            lines.append("pledger_http_request_duration_seconds_count{\(labels)} \(histogram.total)")
        }
        lines += [
            "# HELP pledger_webhook_events_total Webhook deliveries by provider and outcome.",
            "# TYPE pledger_webhook_events_total counter",
        ]
        for (name, count) in snapshot.webhooks.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: " ")
            lines.append("pledger_webhook_events_total{provider=\"\(parts[0])\",outcome=\"\(parts[1])\"} \(count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
