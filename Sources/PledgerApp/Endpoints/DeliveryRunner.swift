import Logging
import ServiceLifecycle

/// The deliverer as a service of `serve`'s ServiceGroup: polls for due deliveries until the group
/// shuts down gracefully, finishing and recording the attempts in flight. A crash instead leaves
/// them unrecorded, so they are sent again later with the same `webhook-id` (at least once).
public struct DeliveryRunner: Service {
    let deliveries: DeliveryService
    let sender: any WebhookSender
    let observer: any DeliveryObserver
    let logger: Logger

    public init(
        deliveries: DeliveryService, sender: any WebhookSender, observer: any DeliveryObserver, logger: Logger
    ) {
        self.deliveries = deliveries
        self.sender = sender
        self.observer = observer
        self.logger = logger
    }

    public func run() async throws {
        let deliveries = deliveries
        let sender = sender
        let observer = observer
        let logger = logger
        // On shutdown the loop stops starting work; an attempt in flight is finished and recorded
        // (at most the 10 s timeout), so a clean stop does not send it again.
        await deliveries.run(
            sender: sender, observer: observer, logger: logger, stopping: { Task.isShuttingDownGracefully },
            pause: { interval in
                _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            })
    }
}
