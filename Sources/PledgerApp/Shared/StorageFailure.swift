import PledgerStore

/// Failures of the storage itself (a ledger that cannot be opened, a changed migration, a disk
/// error), told apart from a business refusal so a caller can say which it was.
public enum StorageFailure {
    /// The sentence for a person when `error` is a storage failure; nil for any other error.
    public static func message(_ error: any Error) -> String? {
        (error as? StoreError)?.description
    }
}
