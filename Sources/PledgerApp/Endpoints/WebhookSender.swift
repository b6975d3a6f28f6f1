import Foundation

/// One signed POST of an event to an endpoint.
public struct WebhookRequest: Sendable {
    public var url: String
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature`, `content-type`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeout: Duration

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What came back: an HTTP status, or why there was none. Never holds a secret.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int?
    public var error: String?

    public init(status: Int?, error: String? = nil) {
        self.status = status
        self.error = error
    }
}

/// Sends a delivery over the network. The deliverer's rules are tested against a real loopback
/// receiver through ``HTTPWebhookSender``; this seam keeps the sending itself replaceable.
public protocol WebhookSender: Sendable {
    func send(_ request: WebhookRequest) async -> WebhookResponse
}
