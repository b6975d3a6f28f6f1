import Foundation
import PledgerCore

/// What the box's reports read (docs/box.md "The funnel and the sources report"): counts and sums
/// grouped in the store, which Core's ``BoxFunnel`` and ``SourcesReport`` finish.
public protocol BoxReportReader {
    /// Each campaign's funnel counts for a month `[start, end)`, with the counters of the UTC days
    /// `[days.first, days.after)` (``BoxFunnel/counterDays(_:)``).
    func boxFunnel(
        _ month: (start: Date, end: Date), days: (first: String, after: String)
    ) throws -> [String: BoxFunnel.Counts]
    /// The new pledges, new MRR (in twelfths) and receipts of the box's pledges in `[start, end)`,
    /// per page path, campaign and currency.
    func boxSources(_ month: (start: Date, end: Date)) throws -> [SourcesReport.Tally]
    /// "Remind me later" per page path for a month `[start, end)`, with the counters of the UTC
    /// days `[days.first, days.after)`; ranks are left to Core.
    func boxReminderSources(
        _ month: (start: Date, end: Date), days: (first: String, after: String)
    ) throws -> [SourcesReport.Reminders]
}
