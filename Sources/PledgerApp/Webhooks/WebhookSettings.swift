import Foundation
import PledgerCore

/// Webhook secrets and tolerance. Its description never shows a secret.
public struct WebhookSettings: Sendable, Equatable, CustomStringConvertible {
    /// Newest first; all are accepted so a secret can be rotated without losing deliveries.
    public var stripeSecrets: [String]
    public var standardSecrets: [String]
    /// How far (seconds) a signed timestamp may be from now, either way.
    public var tolerance: Int

    public init(stripeSecrets: [String] = [], standardSecrets: [String] = [], tolerance: Int = 300) {
        self.stripeSecrets = stripeSecrets
        self.standardSecrets = standardSecrets
        self.tolerance = tolerance
    }

    public func secrets(for provider: WebhookProvider) -> [String] {
        provider == .stripe ? stripeSecrets : standardSecrets
    }

    /// The providers with at least one secret.
    public var enabledProviders: [WebhookProvider] {
        WebhookProvider.allCases.filter { !secrets(for: $0).isEmpty }
    }

    public var description: String {
        func count(_ secrets: [String]) -> String {
            secrets.isEmpty ? "off" : "\(secrets.count) secret\(secrets.count == 1 ? "" : "s")"
        }
        return "stripe \(count(stripeSecrets)), standard \(count(standardSecrets)), tolerance \(tolerance) s"
    }

    /// Splits a comma-separated list of secrets, dropping empty entries around commas.
    public static func secretList(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Reads `PLEDGER_STRIPE_WEBHOOK_SECRETS`, `PLEDGER_STANDARD_WEBHOOK_SECRETS` (comma-separated,
    /// newest first) and `PLEDGER_WEBHOOK_TOLERANCE` (seconds).
    public static func fromEnvironment(_ environment: [String: String]) throws(PledgerError) -> WebhookSettings {
        var settings = WebhookSettings(
            stripeSecrets: secretList(environment["PLEDGER_STRIPE_WEBHOOK_SECRETS"]),
            standardSecrets: secretList(environment["PLEDGER_STANDARD_WEBHOOK_SECRETS"]))
        if let text = environment["PLEDGER_WEBHOOK_TOLERANCE"], !text.isEmpty {
            settings.tolerance = try parseTolerance(text, field: "PLEDGER_WEBHOOK_TOLERANCE")
        }
        return settings
    }

    public static func parseTolerance(_ text: String, field: String) throws(PledgerError) -> Int {
        guard let value = Int(text), (1...86_400).contains(value) else {
            throw .invalid(field, "\"\(text)\" is not a number of seconds from 1 to 86400")
        }
        return value
    }
}
