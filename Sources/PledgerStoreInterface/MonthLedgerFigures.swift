import PledgerCore

/// What the store reads for one month of a report, before the rules of Core (net, rounding,
/// MRR classification) are applied.
public struct MonthLedgerFigures: Sendable {
    /// Receipts per currency code; `net` is not filled in.
    public var receipts: [String: MonthlyReport.Receipts] = [:]
    public var pledges: [String: MonthlyReport.Pledges] = [:]
    /// Recurring revenue per currency code: Core's ``MRRWalk`` fills it in, not the store.
    public var mrr: [String: MonthMRR] = [:]
    /// Past-due pledges at the month's end per currency code: how many, and their MRR in twelfths.
    public var atRisk: [String: (pledges: Int64, twelfths: Int64)] = [:]
    public var reminders = MonthlyReport.Reminders()

    public init() {}
}
