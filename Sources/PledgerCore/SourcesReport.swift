import Foundation

/// Where the box's money came from in one month: articles (page paths) and campaigns ranked by
/// the new MRR and the receipts of the pledges made from the box there (docs/box.md "The funnel
/// and the sources report"). Money is in minor units of each row's currency; currencies are
/// never added together, so each currency has its own ranking.
///
/// For month M read in the report's time zone, `[start, end)`, over pledges made from the box:
/// - **new pledges**: those made in `[start, end)`;
/// - **new MRR**: those whose first payment fell in `[start, end)` and that were not cancelled by
///   then, each at the amount in force at that payment times ``Cadence/mrrWeight`` (an annual
///   amount counts 1/12, a one-off gift nothing), summed in twelfths and rounded half to even once
///   per row;
/// - **receipts**: the gross of their payments booked in `[start, end)` (before refunds and fees),
///   and how many payments.
///
/// Beside them, "remind me later" by page path, counted as in the funnel (``BoxFunnel``).
public struct SourcesReport: Sendable, Equatable, Codable {
    /// What the store reads: one page path, campaign and currency's figures, before Core's rules.
    public struct Tally: Sendable, Equatable {
        public var pagePath: String
        public var campaign: String
        public var currency: String
        public var newPledges: Int64
        /// New MRR in twelfths of a minor unit, not yet rounded.
        public var newMRRTwelfths: Int64
        public var receipts: Int64
        public var payments: Int64

        public init(
            pagePath: String, campaign: String, currency: String, newPledges: Int64 = 0, newMRRTwelfths: Int64 = 0,
            receipts: Int64 = 0, payments: Int64 = 0
        ) {
            self.pagePath = pagePath
            self.campaign = campaign
            self.currency = currency
            self.newPledges = newPledges
            self.newMRRTwelfths = newMRRTwelfths
            self.receipts = receipts
            self.payments = payments
        }
    }

    /// One place in a ranking: a page path (in `pages`) or a campaign (in `campaigns`) in one currency.
    public struct Source: Sendable, Equatable, Codable {
        /// 1 for the first of its currency.
        public var rank: Int
        public var pagePath: String?
        public var campaign: String?
        public var currency: String
        public var newPledges: Int64
        /// New MRR, in minor units.
        public var newMrr: Int64
        /// Gross payments, in minor units.
        public var receipts: Int64
        public var payments: Int64

        public init(
            rank: Int, pagePath: String?, campaign: String?, currency: String, newPledges: Int64, newMrr: Int64,
            receipts: Int64, payments: Int64
        ) {
            self.rank = rank
            self.pagePath = pagePath
            self.campaign = campaign
            self.currency = currency
            self.newPledges = newPledges
            self.newMrr = newMrr
            self.receipts = receipts
            self.payments = payments
        }

        /// The page path or the campaign, whichever this ranking is by.
        public var name: String { pagePath ?? campaign ?? "" }
    }

    /// All the box's pledges in one currency.
    public struct Total: Sendable, Equatable, Codable {
        public var currency: String
        public var newPledges: Int64
        public var newMrr: Int64
        public var receipts: Int64
        public var payments: Int64

        public init(currency: String, newPledges: Int64, newMrr: Int64, receipts: Int64, payments: Int64) {
            self.currency = currency
            self.newPledges = newPledges
            self.newMrr = newMrr
            self.receipts = receipts
            self.payments = payments
        }
    }

    /// "Remind me later" from one page, in all currencies (reminders have none): the same steps
    /// as the funnel's, counted the same way (``BoxFunnel``).
    public struct Reminders: Sendable, Equatable, Codable {
        /// 1 for the page with the most confirmed requests.
        public var rank: Int
        public var pagePath: String
        /// The page's `remind_requested` counters of the UTC days dated in the month.
        public var remindLater: Int64
        /// Requests made in the month and confirmed before its end.
        public var confirmed: Int64
        /// Of those, the ones whose reminder a pledge converted before its end.
        public var converted: Int64

        public init(rank: Int = 0, pagePath: String, remindLater: Int64, confirmed: Int64, converted: Int64) {
            self.rank = rank
            self.pagePath = pagePath
            self.remindLater = remindLater
            self.confirmed = confirmed
            self.converted = converted
        }
    }

    public var month: String
    public var timeZone: String
    public var periodStart: String
    public var periodEnd: String
    public var generatedAt: String
    public var basis: String
    /// Per currency (by code), the box's totals: what each ranking adds up to (new MRR within rounding).
    public var totals: [Total]
    /// By page path: currencies by code, then new MRR, then receipts, descending.
    public var pages: [Source]
    /// By campaign, in the same order.
    public var campaigns: [Source]
    /// "Remind me later" by page path: confirmed, then converted, then requests, descending, then path.
    public var reminders: [Reminders]

    public static let basisText =
        "pledges made from the box, by the page and campaign they came from; new pledges were made in the month; "
        + "new MRR counts those first paid in the month at their MRR then (annual amounts as 1/12, one-off gifts as none), "
        + "rounded half to even once per row; receipts are the gross of their payments booked in the month; "
        + "currencies are never added together; reminders by page are counted as in the monthly report's box funnel"

    public init(
        month: ReportMonth, timeZone: TimeZone, generatedAt: Date, tallies: [Tally], reminders: [Reminders] = []
    ) throws(PledgerError) {
        let (start, end) = month.interval(in: timeZone)
        self.month = month.description
        self.timeZone = timeZone.reportName
        self.periodStart = Timestamp.format(start)
        self.periodEnd = Timestamp.format(end)
        self.generatedAt = Timestamp.format(generatedAt)
        self.basis = Self.basisText
        pages = try Self.ranking(tallies, by: \.pagePath).map { key, figures, rank in
            Source(
                rank: rank, pagePath: key.name, campaign: nil, currency: key.currency, newPledges: figures.newPledges,
                newMrr: roundHalfEven(figures.newMRRTwelfths, dividedBy: 12), receipts: figures.receipts,
                payments: figures.payments)
        }
        campaigns = try Self.ranking(tallies, by: \.campaign).map { key, figures, rank in
            Source(
                rank: rank, pagePath: nil, campaign: key.name, currency: key.currency, newPledges: figures.newPledges,
                newMrr: roundHalfEven(figures.newMRRTwelfths, dividedBy: 12), receipts: figures.receipts,
                payments: figures.payments)
        }
        totals = try Self.ranking(tallies, by: \.currency).map { key, figures, _ in
            Total(
                currency: key.currency, newPledges: figures.newPledges,
                newMrr: roundHalfEven(figures.newMRRTwelfths, dividedBy: 12), receipts: figures.receipts,
                payments: figures.payments)
        }.sorted { $0.currency < $1.currency }
        self.reminders = reminders.filter { $0.remindLater != 0 || $0.confirmed != 0 || $0.converted != 0 }
            .sorted { a, b in
                (b.confirmed, b.converted, b.remindLater, a.pagePath) < (
                    a.confirmed, a.converted, a.remindLater, b.pagePath
                )
            }
            .enumerated().map { index, page in
                var page = page
                page.rank = index + 1
                return page
            }
    }

    /// Whether the box brought nothing in the month.
    public var isEmpty: Bool { totals.isEmpty && reminders.isEmpty }

    /// Every currency in the report, by code.
    public var currencyCodes: [String] { totals.map(\.currency) }

    private struct Key: Hashable {
        var name: String
        var currency: String
    }

    /// The tallies summed per `name` and currency (checked), ordered by currency, then new MRR,
    /// receipts, new pledges (descending) and name, each with its rank within its currency.
    private static func ranking(_ tallies: [Tally], by name: KeyPath<Tally, String>) throws(PledgerError) -> [(
        Key, Tally, Int
    )] {
        var sums: [Key: Tally] = [:]
        for tally in tallies {
            let key = Key(name: tally[keyPath: name], currency: tally.currency)
            var sum =
                sums[key] ?? Tally(pagePath: tally.pagePath, campaign: tally.campaign, currency: tally.currency)
            sum.newPledges = try add(sum.newPledges, tally.newPledges, tally.currency)
            sum.newMRRTwelfths = try add(sum.newMRRTwelfths, tally.newMRRTwelfths, tally.currency)
            sum.receipts = try add(sum.receipts, tally.receipts, tally.currency)
            sum.payments = try add(sum.payments, tally.payments, tally.currency)
            sums[key] = sum
        }
        let ordered = sums.sorted { a, b in
            if a.key.currency != b.key.currency { return a.key.currency < b.key.currency }
            // By the MRR as printed, so that equal figures fall to the receipts.
            let (mrrA, mrrB) = (
                roundHalfEven(a.value.newMRRTwelfths, dividedBy: 12),
                roundHalfEven(b.value.newMRRTwelfths, dividedBy: 12)
            )
            if mrrA != mrrB { return mrrA > mrrB }
            if a.value.receipts != b.value.receipts { return a.value.receipts > b.value.receipts }
            if a.value.newPledges != b.value.newPledges { return a.value.newPledges > b.value.newPledges }
            return a.key.name < b.key.name
        }
        var result: [(Key, Tally, Int)] = []
        var rank = 0
        for (index, entry) in ordered.enumerated() {
            rank = index > 0 && ordered[index - 1].key.currency == entry.key.currency ? rank + 1 : 1
            result.append((entry.key, entry.value, rank))
        }
        return result
    }

    private static func add(_ a: Int64, _ b: Int64, _ currency: String) throws(PledgerError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else {
            throw PledgerError(
                .refused, code: "amount_overflow",
                message: "the box's figures in \(currency) exceed the largest amount Pledger can hold")
        }
        return sum
    }
}
