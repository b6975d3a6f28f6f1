import Foundation
import PledgerCore

/// One webhook delivery as it arrived: headers and the raw body bytes.
public struct WebhookDelivery: Sendable {
    public var provider: WebhookProvider
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(provider: WebhookProvider, headers: [(name: String, value: String)], body: [UInt8]) {
        self.provider = provider
        self.headers = headers
        self.body = body
    }

    /// The first header of that name, compared case-insensitively as HTTP does.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
