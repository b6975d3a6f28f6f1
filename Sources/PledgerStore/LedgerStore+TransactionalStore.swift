import PledgerStoreInterface

extension StoreSession: StoreTransaction {}

extension LedgerStore: TransactionalStore {
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T)
        async throws -> T
    {
        try await write { session in try body(session) }
    }

    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws
        -> T
    {
        try await read { session in try body(session) }
    }
}
