/// One transaction's view of the store: what every feature may read and write inside it.
/// A feature's helper functions take only the record protocols they need.
public protocol StoreTransaction: SupporterRecords, PledgeRecords, ReminderRecords, LedgerWriter, WebhookEvents,
    IdempotencyRecords, TokenRecords, LedgerReader, ReportReader, OutboxRecords,
    ScheduleRecords, EndpointRecords, BoxRecords, LinkRecords, BoxReportReader, StatementRecords, ImportRecords
{
    /// Runs `body` so that its writes are undone if it throws, while the transaction goes on
    /// (a savepoint): a refused webhook is stored as unmatched without its partial effects.
    func atomically<T>(_ body: () throws -> T) throws -> T
}
