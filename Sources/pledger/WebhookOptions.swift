import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// Webhook options shared by `webhook ingest` (and later `serve`): flags override the environment.
struct WebhookOptions: ParsableArguments {
    @Option(
        name: .customLong("stripe-secret"),
        help: ArgumentHelp(
            "A Stripe endpoint secret (whsec_…); repeat for rotation, newest first.",
            discussion: "Default: $PLEDGER_STRIPE_WEBHOOK_SECRETS (comma-separated).", valueName: "secret"))
    var stripeSecrets: [String] = []
    @Option(
        name: .customLong("standard-secret"),
        help: ArgumentHelp(
            "A Standard Webhooks secret (whsec_<base64>); repeat for rotation.",
            discussion: "Default: $PLEDGER_STANDARD_WEBHOOK_SECRETS (comma-separated).", valueName: "secret"))
    var standardSecrets: [String] = []
    @Option(
        help: ArgumentHelp(
            "Seconds a signed timestamp may be away from now (default: $PLEDGER_WEBHOOK_TOLERANCE or 300).",
            valueName: "seconds"))
    var tolerance: String?

    func apply(to config: inout PledgerConfig) throws {
        if !stripeSecrets.isEmpty { config.webhooks.stripeSecrets = stripeSecrets }
        if !standardSecrets.isEmpty { config.webhooks.standardSecrets = standardSecrets }
        if let tolerance {
            config.webhooks.tolerance = try WebhookSettings.parseTolerance(tolerance, field: "tolerance")
        }
    }
}
