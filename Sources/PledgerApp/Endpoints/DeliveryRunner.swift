import Logging
import ServiceLifecycle

/// The deliverer as a service of `serve`'s ServiceGroup: polls for due deliveries until the group
/// shuts down. A POST in flight at shutdown is abandoned unrecorded, so it is sent again later
/// with the same `webhook-id` (at least once).
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
        await cancelWhenGracefulShutdown {
            await deliveries.run(sender: sender, observer: observer, logger: logger)
        }
    }
}
