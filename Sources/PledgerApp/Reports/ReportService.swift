import Foundation
import PledgerCore
import PledgerStoreInterface

/// The reports: monthly (with the month before and a 12-month trend), a range of months, and
/// retention by cohort. Each reads the ledger in one pass and finishes the figures with Core's rules.
public struct ReportService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock

    /// Builds the monthly revenue report for `month` (default: the last complete month) in `timeZone`,
    /// with the previous month beside it and the twelve months to it for the chart, in one pass over the ledger.
    /// - Parameters:
    ///   - rates: when given, the report adds totals converted into `rates.target`; a rate missing
    ///     for the report month is an error naming the currency and date (the previous month's
    ///     converted totals are left out when its rates are missing).
    ///   - trend: whether to read the twelve months for the chart (HTML and JSON show them; the
    ///     other formats do not, and then only the month and the one before are read).
    /// - Throws: `PledgerError.invalid` (field `month`) for a month that has not started yet.
    public func monthly(
        month: ReportMonth? = nil, timeZone: TimeZone = .gmt, rates: ExchangeRates? = nil, trend withTrend: Bool = true
    ) async throws -> MonthlyReport {
        let now = clock.now
        let month = month ?? ReportMonth.lastComplete(at: now, in: timeZone)
        try month.checkStarted(at: now, in: timeZone, field: "month")
        var months = [month]
        while months.count < (withTrend ? 12 : 2) { months.insert(months[0].previous, at: 0) }
        // The chart's earlier months need only their receipts and MRR.
        let figures = try await monthFigures(months, timeZone: timeZone, detailFrom: months.count - 2)
        var current = figures[figures.count - 1]
        var previous = figures[figures.count - 2]
        // Both months list the same currencies, so a currency that went quiet still shows, beside last month.
        let codes = Set(current.currencies.map(\.currency)).union(previous.currencies.map(\.currency)).sorted()
        current.currencies = codes.map(current.figures)
        previous.currencies = codes.map(previous.figures)
        if let rates {
            current.converted = try ConvertedTotals.convert(current.currencies, month: month, rates: rates)
            previous.converted = try Self.convertedIfRated(previous.currencies, month: month.previous, rates: rates)
        }
        let trend = figures.map { month in
            MonthlyReport.TrendPoint(
                month: month.month,
                currencies: month.currencies.map { .init(currency: $0.currency, net: $0.receipts.net, mrr: $0.mrr.end) }
            )
        }
        let interval = month.interval(in: timeZone)
        let days = BoxFunnel.counterDays(month)
        let (funnel, reasons) = try await store.snapshot {
            (try $0.boxFunnel(interval, days: days), try $0.cancellationReasons(interval))
        }
        return MonthlyReport(
            month: month, timeZone: timeZone, generatedAt: now, currencies: current.currencies,
            reminders: current.reminders,
            previous: previous, trend: withTrend ? trend : nil, converted: current.converted,
            boxFunnel: BoxFunnel(campaigns: funnel), cancellationReasons: CancellationReasons(counts: reasons))
    }

    /// The sources report: the articles (page paths) and campaigns of the reader's box ranked by the
    /// new MRR and the receipts of the pledges made there, for `month` (default: the last complete
    /// month) in `timeZone`, per currency.
    /// - Throws: `PledgerError.invalid` (field `month`) for a month that has not started yet.
    public func sources(month: ReportMonth? = nil, timeZone: TimeZone = .gmt) async throws -> SourcesReport {
        let now = clock.now
        let month = month ?? ReportMonth.lastComplete(at: now, in: timeZone)
        try month.checkStarted(at: now, in: timeZone, field: "month")
        let interval = month.interval(in: timeZone)
        let days = BoxFunnel.counterDays(month)
        let (tallies, reminders) = try await store.snapshot { session in
            (try session.boxSources(interval), try session.boxReminderSources(interval, days: days))
        }
        return try SourcesReport(
            month: month, timeZone: timeZone, generatedAt: now, tallies: tallies, reminders: reminders)
    }

    /// The trend report: every month from `from` to `to` (both included) in one pass over the ledger.
    /// - Throws: `PledgerError.invalid` when `to` is before `from`, after the current month, or too far from it.
    public func range(from: ReportMonth, to: ReportMonth, timeZone: TimeZone = .gmt) async throws -> RangeReport {
        let now = clock.now
        try to.checkStarted(at: now, in: timeZone, field: "to")
        let months = try RangeReport.months(from: from, to: to)
        return RangeReport(
            from: from, to: to, timeZone: timeZone, generatedAt: now,
            months: try await monthFigures(months, timeZone: timeZone))
    }

    /// The retention table: cohorts of supporters by the month of their first payment in `scope`,
    /// from `from` to `to` (default: the thirteen months to the last complete one, so the oldest
    /// cohort has its 12-month figure), and how many were still active 1, 2, 3, 6 and 12 months later.
    public func cohorts(
        from: ReportMonth? = nil, to: ReportMonth? = nil, scope: CohortReport.Scope = .recurring,
        timeZone: TimeZone = .gmt
    ) async throws -> CohortReport {
        let now = clock.now
        let lastComplete = ReportMonth.lastComplete(at: now, in: timeZone)
        let to = to ?? lastComplete
        guard to <= lastComplete else {
            throw PledgerError.invalid(
                "to", "\(to) has not ended yet; cohorts run to the last complete month, \(lastComplete)")
        }
        let from = from ?? (0..<12).reduce(to) { month, _ in month.previous }
        let cohortMonths = try RangeReport.months(from: from, to: to)
        // The months whose ends are checked: the cohorts' own and those after, up to the last complete one.
        var months = cohortMonths
        while months.count < cohortMonths.count + (CohortReport.offsets.max() ?? 0), months.last! < lastComplete {
            months.append(months.last!.next)
        }
        let intervals = months.map { $0.interval(in: timeZone) }
        let (sizes, active) = try await store.snapshot { session in
            try session.cohortRetention(
                cadences: scope.cadences, months: intervals, cohortMonths: 0..<cohortMonths.count,
                offsets: CohortReport.offsets)
        }
        let cohorts = cohortMonths.indices.map { index in
            let size = sizes[index] ?? 0
            let retention = CohortReport.offsets.map { offset in
                // A figure exists once month cohort + offset has ended; no row means no one was active.
                let known = index + offset < months.count
                return CohortReport.Retention(
                    afterMonths: offset, active: known ? active[index]?[offset] ?? 0 : nil, of: size)
            }
            return CohortReport.Cohort(month: cohortMonths[index].description, supporters: size, retention: retention)
        }
        return CohortReport(from: from, to: to, timeZone: timeZone, cadence: scope, generatedAt: now, cohorts: cohorts)
    }

    /// Converted totals of a month beside the report's: nil when the rates file has none for it,
    /// since the rates for the report's own month are what was asked for.
    private static func convertedIfRated(
        _ figures: [MonthlyReport.CurrencyFigures], month: ReportMonth, rates: ExchangeRates
    ) throws(PledgerError) -> ConvertedTotals? {
        do {
            return try ConvertedTotals.convert(figures, month: month, rates: rates)
        } catch {
            if error.code == "missing_rate" { return nil }
            throw error
        }
    }

    /// Each month's figures, read in one pass and finished by Core's rules: net, MRR movement
    /// rounded once, ARR, MRR at risk.
    func monthFigures(_ months: [ReportMonth], timeZone: TimeZone, detailFrom: Int = 0) async throws -> [MonthlyReport
        .MonthFigures]
    {
        let intervals = months.map { $0.interval(in: timeZone) }
        var (raw, checkpoints) = try await store.snapshot { session in
            var figures = try session.monthFigures(intervals, detailFrom: detailFrom)
            let mrr = try MRRWalkReader.read(session, months: intervals, detailFrom: detailFrom)
            for index in figures.indices { figures[index].mrr = mrr.months[index] }
            return (figures, mrr.checkpoints)
        }
        // Keep the MRR totals found at past month edges, so the next report starts from them. A
        // cache only: when anything moved MRR meanwhile, or saving fails, the report still stands.
        let now = clock.now
        checkpoints.totals = checkpoints.totals.filter { $0.key <= Timestamp.millis(now) }
        if !checkpoints.totals.isEmpty {
            let found = checkpoints
            _ = try? await store.transaction { session in try session.saveMRRCheckpoints(found, notAfter: now) }
        }
        return try zip(months, raw).map { month, raw in
            var figures: [MonthlyReport.CurrencyFigures] = []
            for code in Set(raw.receipts.keys).union(raw.pledges.keys).union(raw.mrr.keys).sorted() {
                var receipts = raw.receipts[code] ?? MonthlyReport.Receipts()
                try receipts.computeNet()
                let mrr = raw.mrr[code] ?? MonthMRR()
                let movement = try mrr.movement()
                let (arr, overflow) = movement.end.multipliedReportingOverflow(by: 12)
                guard !overflow else {
                    throw PledgerError(
                        .refused, code: "amount_overflow",
                        message: "ARR in \(code) exceeds the largest amount Pledger can hold")
                }
                let atRisk = raw.atRisk[code] ?? (0, 0)
                figures.append(
                    MonthlyReport.CurrencyFigures(
                        currency: code, receipts: receipts, pledges: raw.pledges[code] ?? MonthlyReport.Pledges(),
                        mrr: movement, arr: arr,
                        mrrAtRisk: roundHalfEven(atRisk.twelfths, dividedBy: 12), pastDuePledges: atRisk.pledges,
                        supporters: mrr.counts))
            }
            return MonthlyReport.MonthFigures(
                month: month, timeZone: timeZone, currencies: figures, reminders: raw.reminders)
        }
    }
}
