/// How a use case reaches the store: all its reads and writes in one transaction, so a rule that
/// Core checks against what is stored still holds when the transaction commits.
///
/// SQLite implements it (`LedgerStore`); a PostgreSQL store will implement the same protocols.
/// The bodies are synchronous: a use case decides with Core's pure rules between reads and
/// writes, and never waits on anything else while it holds the transaction.
public protocol TransactionalStore: Sendable {
    /// Runs `body` in one write transaction: everything it wrote commits together before this
    /// returns, or nothing does.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Runs `body` on one consistent snapshot of the ledger.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
}
