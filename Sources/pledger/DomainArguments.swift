import ArgumentParser
import PledgerApp
import PledgerCore
import PledgerRender

// The domain's values as typed options: ArgumentParser refuses a wrong one with the values it
// takes (exit 2), lists them in --help, and completes them. Parsing stays Core's, so the CLI
// accepts what the API accepts ("once" and "yearly" among them).

extension Cadence: ExpressibleByArgument {
    public init?(argument: String) {
        guard let cadence = try? Cadence.parse(argument) else { return nil }
        self = cadence
    }
}

extension PledgeStatus: ExpressibleByArgument {
    public init?(argument: String) {
        guard let status = try? PledgeStatus.parse(argument) else { return nil }
        self = status
    }
}

extension ReminderStatus: ExpressibleByArgument {}

extension WebhookProvider: ExpressibleByArgument {
    public init?(argument: String) {
        guard let provider = try? WebhookProvider.parse(argument) else { return nil }
        self = provider
    }
}

extension WebhookOutcome: ExpressibleByArgument {}

extension ReportFormat: ExpressibleByArgument {}

extension ExportFormat: ExpressibleByArgument {}

extension ID: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

extension OutboundEventType: ExpressibleByArgument {}

extension DeliveryStatus: ExpressibleByArgument {}
