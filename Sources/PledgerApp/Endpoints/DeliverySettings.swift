import Foundation
import PledgerCore

/// How the deliverer sends events: which addresses it may reach, how long it waits, how many
/// endpoints it serves at once, and the retry schedule.
public struct DeliverySettings: Sendable, Equatable {
    /// The request-forgery rules for endpoint URLs, checked when added and before every POST.
    public var addresses: EndpointAddressPolicy
    /// How long one POST may take, connection included.
    public var timeout: Duration
    /// How many endpoints are sent to at once; one slow endpoint takes one slot, never more.
    public var concurrency: Int
    /// How often the service in `serve` looks for due deliveries.
    public var pollInterval: Duration
    public var retries: RetrySchedule
    /// How many events of one endpoint one pass reads and records per transaction.
    public var batchSize: Int
    /// At most this much of an endpoint's answer is read.
    public static let responseLimit = 64 * 1024

    public init(
        addresses: EndpointAddressPolicy = EndpointAddressPolicy(), timeout: Duration = .seconds(10),
        concurrency: Int = 8, pollInterval: Duration = .seconds(1), retries: RetrySchedule = .standard,
        batchSize: Int = 100
    ) {
        self.addresses = addresses
        self.timeout = timeout
        self.concurrency = concurrency
        self.pollInterval = pollInterval
        self.retries = retries
        self.batchSize = batchSize
    }

    /// Reads `PLEDGER_ALLOW_INSECURE_ENDPOINTS` and `PLEDGER_ALLOW_PRIVATE_ENDPOINTS` (`1`/`true`/`0`/`false`).
    public static func fromEnvironment(_ environment: [String: String]) throws(PledgerError) -> DeliverySettings {
        var settings = DeliverySettings()
        settings.addresses.allowInsecure = try flag(environment, "PLEDGER_ALLOW_INSECURE_ENDPOINTS")
        settings.addresses.allowPrivate = try flag(environment, "PLEDGER_ALLOW_PRIVATE_ENDPOINTS")
        return settings
    }

    private static func flag(_ environment: [String: String], _ name: String) throws(PledgerError) -> Bool {
        switch environment[name]?.lowercased() {
        case nil, "", "0", "false", "no": return false
        case "1", "true", "yes": return true
        case .some(let text): throw .invalid(name, "\"\(text)\" is not 1, true, 0 or false")
        }
    }
}
