import Foundation
import PledgerCore

/// The policies a publisher may tune. Defaults follow DESIGN; `fromEnvironment` reads overrides.
public struct PledgerConfig: Sendable, Equatable {
    public var minimums: MinimumPledgePolicy
    /// The largest pledge or payment (`PLEDGER_MAX_AMOUNT`), so that report sums cannot overflow.
    public var maximums: MaximumAmountPolicy = .default
    public var reminders: ReminderPolicy
    /// The processor named on payments recorded by hand.
    public var defaultProcessor: String
    public var webhooks: WebhookSettings
    /// When the jobs announce renewals and expire pending pledges.
    public var schedule: SchedulePolicy = .default
    /// Outbound deliveries: which endpoint addresses are allowed, timeouts, concurrency, retries.
    public var delivery: DeliverySettings = DeliverySettings()
    /// The reader's box (`serve --box FILE`); nil leaves its public routes answering 503.
    public var box: BoxConfiguration?
    /// Keys that sign links (`PLEDGER_LINK_SECRET`, then `PLEDGER_LINK_SECRET_PREVIOUS` still
    /// accepted after a rotation); empty means a key kept in the ledger.
    public var linkSecrets: [String] = []
    /// Where readers reach this server (`PLEDGER_PUBLIC_URL`): supporters' links point here; the
    /// box's `public_url` serves when this is not set.
    public var publicURL: String?

    public init(
        minimums: MinimumPledgePolicy = .default, reminders: ReminderPolicy = .default,
        defaultProcessor: String = "manual",
        webhooks: WebhookSettings = WebhookSettings()
    ) {
        self.minimums = minimums
        self.reminders = reminders
        self.defaultProcessor = defaultProcessor
        self.webhooks = webhooks
    }

    /// Reads `PLEDGER_MIN_PLEDGE` (`USD=3.00,JPY=500`), `PLEDGER_MAX_AMOUNT` (`1000000`), `PLEDGER_REMINDER_DELAY` (`7d`) and
    /// `PLEDGER_REMINDER_MAX_DEFERRALS` (`3`), `PLEDGER_RENEWAL_NOTICE` (`annual=7d,monthly=off`),
    /// `PLEDGER_PENDING_EXPIRY` (`48h`) and the webhook settings (``WebhookSettings/fromEnvironment(_:)``);
    /// an unparsable value is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(PledgerError) -> PledgerConfig
    {
        var config = PledgerConfig(webhooks: try WebhookSettings.fromEnvironment(environment))
        config.delivery = try DeliverySettings.fromEnvironment(environment)
        if let text = environment["PLEDGER_PUBLIC_URL"], !text.isEmpty {
            guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil
            else {
                throw .invalid(
                    "PLEDGER_PUBLIC_URL", "must be an absolute http(s) address such as https://pledger.example.org")
            }
            config.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        for name in ["PLEDGER_LINK_SECRET", "PLEDGER_LINK_SECRET_PREVIOUS"] {
            guard let secret = environment[name], !secret.isEmpty else { continue }
            guard secret.utf8.count >= 32 else { throw .invalid(name, "must be at least 32 characters") }
            guard name == "PLEDGER_LINK_SECRET" || !config.linkSecrets.isEmpty else {
                throw .invalid(name, "is only read beside PLEDGER_LINK_SECRET, the key that signs")
            }
            config.linkSecrets.append(secret)
        }
        if let text = environment["PLEDGER_MIN_PLEDGE"], !text.isEmpty {
            config.minimums = try MinimumPledgePolicy.parse(text, field: "PLEDGER_MIN_PLEDGE")
        }
        if let text = environment["PLEDGER_MAX_AMOUNT"], !text.isEmpty {
            config.maximums = try MaximumAmountPolicy.parse(text, field: "PLEDGER_MAX_AMOUNT")
        }
        if let text = environment["PLEDGER_REMINDER_DELAY"], !text.isEmpty {
            config.reminders.defaultDelay = try ReminderDelay.parse(text, field: "PLEDGER_REMINDER_DELAY")
        }
        if let text = environment["PLEDGER_RENEWAL_NOTICE"], !text.isEmpty {
            config.schedule.renewalNotice = try SchedulePolicy.parseRenewalNotice(text, field: "PLEDGER_RENEWAL_NOTICE")
        }
        if let text = environment["PLEDGER_PENDING_EXPIRY"], !text.isEmpty {
            config.schedule.pendingExpiry = try ReminderDelay.parse(text, field: "PLEDGER_PENDING_EXPIRY")
        }
        if let text = environment["PLEDGER_REMINDER_MAX_DEFERRALS"], !text.isEmpty {
            guard let value = Int(text), (0...100).contains(value) else {
                throw .invalid("PLEDGER_REMINDER_MAX_DEFERRALS", "\"\(text)\" is not a whole number from 0 to 100")
            }
            config.reminders.maxDeferrals = value
        }
        return config
    }
}
