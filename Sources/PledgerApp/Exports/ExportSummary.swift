/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var transactions = 0
    /// Whether an opening-balances transaction was written (an export with a start date).
    public var openingBalances = false
}
