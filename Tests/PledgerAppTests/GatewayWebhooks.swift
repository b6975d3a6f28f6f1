import Foundation
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// The publisher's own payment gateway, speaking Standard Webhooks to Pledger, for tests that need
/// a processor's word (a failed charge) that no API call gives.
enum GatewayWebhooks {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    static var config: PledgerConfig {
        var config = PledgerConfig()
        config.webhooks = WebhookSettings(standardSecrets: [secret])
        return config
    }

    /// `pledge.payment_failed` for `pledge` at `at`, signed now by the app's clock and ingested.
    static func paymentFailed(_ app: Pledger, _ pledge: ID<Pledge>, at: String) async throws -> WebhookResult {
        let body = Array(
            """
            {"type":"pledge.payment_failed","data":{"pledge_id":"\(pledge.rawValue)","occurred_at":"\(at)"}}
            """.utf8)
        let id = "msg_\(UUID().uuidString)"
        let timestamp = Int64(app.clock.now.timeIntervalSince1970)
        let signature = try StandardWebhooksScheme.sign(id: id, timestamp: timestamp, body: body, secret: secret)
        return try await app.webhooks.ingest(
            WebhookDelivery(
                provider: .standard,
                headers: [("webhook-id", id), ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", signature)],
                body: body))
    }
}
