import Foundation
import PledgerCore
import PledgerStore

/// The use cases of Pledger, one service per feature, shared by the CLI and the HTTP service.
///
/// A plain container: each service holds only what it needs (the store, the clock, a policy) and
/// applies Core's rules inside one store transaction. Nothing here parses or renders.
public struct Pledger: Sendable {
    /// Pledges: record, read, list, cancel, change the amount.
    public let pledges: PledgeService
    /// Money in and back: payments, refunds, chargebacks.
    public let payments: PaymentService
    /// "Remind me later": schedule, defer, hand over what is due.
    public let reminders: ReminderService
    /// Processor webhooks: verify, apply exactly once, replay.
    public let webhooks: WebhookIngestion
    /// The monthly, range and cohort reports.
    public let reports: ReportService
    /// The ledger as hledger, Beancount or CSV.
    public let exports: ExportService
    /// Tokens, health, verify, backup and restore, erasure.
    public let operations: Operations
    /// The jobs that turn time into events: reminders due, renewals upcoming, pending pledges expired.
    public let jobs: JobService
    /// The outbox's events, read back.
    public let events: EventLog
    /// The publisher's endpoints: add, list, disable, enable, rotate the secret, remove.
    public let endpoints: EndpointService
    /// Signed deliveries of outbox events to the endpoints, and their repair.
    public let deliveries: DeliveryService
    /// Writes run at most once per `Idempotency-Key`.
    public let idempotency: IdempotentWrites
    /// Moving in: Stripe's dashboard exports and other CSV exports brought into the ledger.
    public let imports: ImportService
    /// The reader's box: publishable keys, checkout, "remind me later" with confirmation, the funnel beacon.
    public let box: BoxService
    /// Supporters acting alone: signed links to their own page, and what that page shows.
    public let supporters: SupporterService
    /// Yearly giving statements per supporter, and the lapsed supporters report.
    public let statements: StatementService
    /// The clock every service reads, for callers that render times ("now" in a view).
    public let clock: WallClock

    /// The store itself, for the demo generator's bulk writes within this package; not public API.
    package let store: LedgerStore

    /// Where the ledger lives.
    public var ledgerPath: String { store.path }
    /// The migrations this open applied (empty when the ledger was already current).
    public var appliedMigrations: [String] { store.appliedMigrations }

    public init(store: LedgerStore, clock: WallClock = .system, config: PledgerConfig = PledgerConfig()) {
        self.store = store
        self.clock = clock
        pledges = PledgeService(store: store, clock: clock, minimums: config.minimums, maximums: config.maximums)
        payments = PaymentService(
            store: store, clock: clock, defaultProcessor: config.defaultProcessor, maximums: config.maximums)
        reminders = ReminderService(store: store, clock: clock, policy: config.reminders)
        webhooks = WebhookIngestion(
            store: store, clock: clock, settings: config.webhooks, maximums: config.maximums)
        reports = ReportService(store: store, clock: clock)
        exports = ExportService(store: store, clock: clock)
        operations = Operations(store: store, clock: clock)
        idempotency = IdempotentWrites(store: store, clock: clock)
        jobs = JobService(store: store, clock: clock, policy: config.schedule)
        events = EventLog(store: store)
        endpoints = EndpointService(store: store, clock: clock, settings: config.delivery)
        deliveries = DeliveryService(store: store, clock: clock, settings: config.delivery)
        imports = ImportService(store: store, clock: clock, maximums: config.maximums)
        let links = LinkKeyring(store: store, clock: clock, secrets: config.linkSecrets)
        box = BoxService(store: store, clock: clock, config: config, links: links)
        supporters = SupporterService(store: store, clock: clock, config: config, links: links)
        statements = StatementService(store: store, clock: clock)
    }

    /// Opens the ledger at `path`, creating and migrating it when new.
    /// - Parameter durability: `.scratch` only for throwaway ledgers (the demo's): commits skip fsync.
    public static func open(
        path: String, durability: LedgerDurability = .full, clock: WallClock = .system,
        config: PledgerConfig = PledgerConfig()
    ) throws -> Pledger {
        let store = try LedgerStore(path: path, durability: durability == .full ? .full : .scratch)
        return Pledger(store: store, clock: clock, config: config)
    }

    /// Whether `path` holds a ledger at all (an existing, non-empty file): commands that only read
    /// ask first, so a mistyped path is refused instead of created empty.
    public static func ledgerExists(at path: String) -> Bool {
        LedgerStore.ledgerExists(at: path)
    }

    /// Closes the ledger's connections; later calls fail. Called on graceful shutdown.
    public func close() throws {
        try store.close()
    }
}
