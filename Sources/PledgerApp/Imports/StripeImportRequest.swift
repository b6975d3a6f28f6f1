import Foundation

/// `pledger import stripe`: the dashboard's three CSV exports (any may be left out) and how to run.
public struct StripeImportRequest: Sendable {
    public var customers: URL?
    public var subscriptions: URL?
    public var payments: URL?
    /// Applies everything in one transaction that is then rolled back: the ledger is left unchanged.
    public var dryRun: Bool
    /// Rows per committed transaction on a real run.
    public var batchSize: Int

    public init(
        customers: URL? = nil, subscriptions: URL? = nil, payments: URL? = nil, dryRun: Bool = false,
        batchSize: Int = 5_000
    ) {
        self.customers = customers
        self.subscriptions = subscriptions
        self.payments = payments
        self.dryRun = dryRun
        self.batchSize = batchSize
    }
}

/// `pledger import csv`: any donations export and the TOML mapping that reads it.
public struct CSVImportRequest: Sendable {
    public var file: URL
    public var mapping: URL
    public var dryRun: Bool
    public var batchSize: Int

    public init(file: URL, mapping: URL, dryRun: Bool = false, batchSize: Int = 5_000) {
        self.file = file
        self.mapping = mapping
        self.dryRun = dryRun
        self.batchSize = batchSize
    }
}
