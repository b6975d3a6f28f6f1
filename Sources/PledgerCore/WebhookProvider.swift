import Foundation

/// The two webhook endpoints Pledger verifies.
public enum WebhookProvider: String, Sendable, CaseIterable, Codable {
    /// `Stripe-Signature` over `t.body`, secrets `whsec_…` used as given.
    case stripe
    /// Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) carrying Pledger's own event schema.
    case standard

    public static func parse(_ text: String, field: String = "provider") throws(PledgerError) -> WebhookProvider {
        guard let provider = WebhookProvider(rawValue: text.lowercased()) else {
            throw .invalid(field, "\"\(text)\" is not a webhook provider; use stripe or standard")
        }
        return provider
    }
}
