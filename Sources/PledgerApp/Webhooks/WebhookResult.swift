import PledgerCore
import PledgerWebhooks

/// The result of ingesting or replaying one delivery.
public struct WebhookResult: Sendable, Equatable {
    public var outcome: WebhookOutcome
    public var provider: WebhookProvider
    public var eventID: String?
    public var type: String?
    /// What was done, or why not; never holds a secret or a signature.
    public var detail: String?
    /// For `rejected`: why verification failed.
    public var error: SignatureError?
}
