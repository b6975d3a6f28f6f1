import Foundation

/// The trend report: the figures of each month from `from` to `to` (both included), worked out
/// in one pass over the ledger. Each month has exactly the figures of its own monthly report.
public struct RangeReport: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    public var timeZone: String
    public var generatedAt: String
    public var basis: String
    /// Oldest first.
    public var months: [MonthlyReport.MonthFigures]

    public init(
        from: ReportMonth, to: ReportMonth, timeZone: TimeZone, generatedAt: Date, months: [MonthlyReport.MonthFigures]
    ) {
        self.from = from.description
        self.to = to.description
        self.timeZone = timeZone.reportName
        self.generatedAt = Timestamp.format(generatedAt)
        self.basis = MonthlyReport.basisText
        self.months = months
    }

    /// Every currency that appears in any month, sorted by code.
    public var currencyCodes: [String] {
        Set(months.flatMap { $0.currencies.map(\.currency) }).sorted()
    }

    /// The most months one range may span (ten years): a guard against a typo such as 2206-01.
    public static let maximumMonths = 120

    /// The months from `from` to `to`, both included.
    /// - Throws: `PledgerError.invalid` naming `to` when it is before `from` or the span is too long.
    public static func months(from: ReportMonth, to: ReportMonth) throws(PledgerError) -> [ReportMonth] {
        guard from <= to else { throw .invalid("to", "\(to) is before --from \(from)") }
        var result = [from]
        while result.last! < to {
            result.append(result.last!.next)
            guard result.count <= maximumMonths else {
                throw .invalid("to", "a range may span at most \(maximumMonths) months; \(from) to \(to) is longer")
            }
        }
        return result
    }
}

extension TimeZone {
    /// The zone's name as reports print it: `UTC` for UTC/GMT, else the IANA identifier.
    public var reportName: String {
        identifier == "GMT" ? "UTC" : identifier
    }
}
