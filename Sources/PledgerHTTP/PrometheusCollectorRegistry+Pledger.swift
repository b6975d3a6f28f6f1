import PledgerApp
import PledgerCore
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

    /// `pledger_outbound_deliveries_total`.
    static var outboundDeliveries: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "pledger", subsystem: "outbound", metricName: "deliveries", unitName: "total",
            helpText: "Delivery attempts of events to endpoints by outcome: delivered, retrying, failed.")
    }

    /// `pledger_outbound_endpoints_disabled_total`.
    static var endpointsDisabled: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "pledger", subsystem: "outbound", metricName: "endpoints_disabled", unitName: "total",
            helpText: "Endpoints the deliverer disabled: 410 Gone, or failing for 5 days.")
    }

    /// `pledger_outbound_oldest_undelivered_event_age_seconds`.
    static var oldestUndelivered: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "pledger", subsystem: "outbound", metricName: "oldest_undelivered_event_age",
            unitName: "seconds",
            helpText: "Seconds since the oldest event still owed to an enabled endpoint was written.")
    }

    /// Sets the age of the oldest undelivered event, read just before each scrape.
    func recordOldestUndelivered(age: Double) {
        makeGauge(descriptor: Self.oldestUndelivered).set(age)
    }

    /// Every figure in the Prometheus text exposition format, as `GET /metrics` serves it.
    func render() -> String {
        emitToString()
    }
}

/// Counts the deliverer's attempts and disabled endpoints into the service's registry.
public struct PrometheusDeliveryObserver: DeliveryObserver {
    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    public func attempted(_ outcome: DeliveryOutcome) {
        registry.makeCounter(
            descriptor: PrometheusCollectorRegistry.outboundDeliveries, labels: [("outcome", outcome.rawValue)]
        ).increment()
    }

    public func endpointDisabled(_ id: ID<Endpoint>, reason: String) {
        registry.makeCounter(descriptor: PrometheusCollectorRegistry.endpointsDisabled).increment()
    }
}
