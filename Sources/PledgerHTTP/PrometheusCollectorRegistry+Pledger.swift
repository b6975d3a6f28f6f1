import Prometheus

extension PrometheusCollectorRegistry {
    /// `pledger_webhook_events_total`.
    static var webhookEvents: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "pledger", subsystem: "webhook", metricName: "events", unitName: "total",
            helpText: "Webhook deliveries by provider and outcome.")
    }

    /// Counts one webhook delivery by provider and outcome.
    func recordWebhook(provider: String, outcome: String) {
        makeCounter(descriptor: Self.webhookEvents, labels: [("provider", provider), ("outcome", outcome)]).increment()
    }

    /// Every figure in the Prometheus text exposition format, as `GET /metrics` serves it.
    func render() -> String {
        emitToString()
    }
}
