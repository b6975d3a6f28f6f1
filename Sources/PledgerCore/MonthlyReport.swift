import Foundation

/// The monthly revenue report of DESIGN "The monthly revenue report". Money is in minor units
/// of each currency block's `currency`; the JSON shape (snake_case keys) is documented in the README.
public struct MonthlyReport: Sendable, Equatable, Codable {
    /// Money received and given back in the month, in minor units.
    public struct Receipts: Sendable, Equatable, Codable {
        public var payments: Int64 = 0
        public var gross: Int64 = 0
        public var oneOff: Int64 = 0
        public var monthly: Int64 = 0
        public var annual: Int64 = 0
        public var refunds: Int64 = 0
        public var chargebacks: Int64 = 0
        public var fees: Int64 = 0
        public var net: Int64 = 0
        public var payingSupporters: Int64 = 0
        public init() {}
    }

    /// Pledge counts in the month.
    public struct Pledges: Sendable, Equatable, Codable {
        public var createdOneOff: Int64 = 0
        public var createdMonthly: Int64 = 0
        public var createdAnnual: Int64 = 0
        /// Recurring pledges whose first payment fell in the month.
        public var activated: Int64 = 0
        /// Recurring pledges cancelled in the month.
        public var cancelled: Int64 = 0
        public var upgraded: Int64 = 0
        public var downgraded: Int64 = 0
        public init() {}
    }

    /// All figures of one currency.
    public struct CurrencyFigures: Sendable, Equatable, Codable {
        public var currency: String
        public var receipts: Receipts
        public var pledges: Pledges
        public var mrr: MRRMovement
        /// 12 × MRR at the month's end.
        public var arr: Int64
        /// The part of MRR at the month's end owed by past-due pledges (a renewal failed): revenue at risk.
        public var mrrAtRisk: Int64
        /// Recurring pledges past due at the month's end.
        public var pastDuePledges: Int64
        /// Supporters with recurring revenue at the start and end, and how many moved each way.
        public var supporters: SupporterCounts

        public init(
            currency: String, receipts: Receipts, pledges: Pledges, mrr: MRRMovement, arr: Int64,
            mrrAtRisk: Int64 = 0, pastDuePledges: Int64 = 0, supporters: SupporterCounts = SupporterCounts()
        ) {
            self.currency = currency
            self.receipts = receipts
            self.pledges = pledges
            self.mrr = mrr
            self.arr = arr
            self.mrrAtRisk = mrrAtRisk
            self.pastDuePledges = pastDuePledges
            self.supporters = supporters
        }

        /// A currency in which nothing happened: every figure zero.
        public static func zero(_ currency: String) -> CurrencyFigures {
            CurrencyFigures(
                currency: currency, receipts: Receipts(), pledges: Pledges(),
                mrr: MRRMovement(start: 0, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 0),
                arr: 0)
        }
    }

    /// "Remind me later" figures; reminders carry no currency.
    public struct Reminders: Sendable, Equatable, Codable {
        public var scheduled: Int64 = 0
        public var deferred: Int64 = 0
        public var sent: Int64 = 0
        public var converted: Int64 = 0
        public init() {}

        /// Reminders converted ÷ reminders newly scheduled in the month ("33.3%"), or nil when none
        /// was scheduled. A ratio of two flows of the same month: readers who asked in an earlier
        /// month and pledged in this one count too, so it can pass 100%.
        public var conversionRate: String? {
            Percent.plainText(permille: Percent.permille(converted, of: scheduled))
        }

        private enum CodingKeys: String, CodingKey {
            case scheduled, deferred, sent, converted, conversionRate
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            scheduled = try container.decode(Int64.self, forKey: .scheduled)
            deferred = try container.decode(Int64.self, forKey: .deferred)
            sent = try container.decode(Int64.self, forKey: .sent)
            converted = try container.decode(Int64.self, forKey: .converted)
        }

        /// Encodes the counts and the derived `conversion_rate` (null when nothing was scheduled).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(scheduled, forKey: .scheduled)
            try container.encode(deferred, forKey: .deferred)
            try container.encode(sent, forKey: .sent)
            try container.encode(converted, forKey: .converted)
            try container.encode(conversionRate, forKey: .conversionRate)
        }
    }

    /// One month's figures without the report's header: the previous month of a report, and
    /// each month of a ``RangeReport``.
    public struct MonthFigures: Sendable, Equatable, Codable {
        public var month: String
        public var periodStart: String
        public var periodEnd: String
        public var currencies: [CurrencyFigures]
        public var reminders: Reminders
        /// Totals converted into one currency, when the report was given exchange rates.
        public var converted: ConvertedTotals?

        public init(
            month: ReportMonth, timeZone: TimeZone, currencies: [CurrencyFigures], reminders: Reminders,
            converted: ConvertedTotals? = nil
        ) {
            let (start, end) = month.interval(in: timeZone)
            self.init(
                month: month.description, periodStart: Timestamp.format(start), periodEnd: Timestamp.format(end),
                currencies: currencies, reminders: reminders, converted: converted)
        }

        /// The figures with the month and its bounds as they are printed.
        public init(
            month: String, periodStart: String, periodEnd: String, currencies: [CurrencyFigures], reminders: Reminders,
            converted: ConvertedTotals?
        ) {
            self.month = month
            self.periodStart = periodStart
            self.periodEnd = periodEnd
            self.currencies = currencies
            self.reminders = reminders
            self.converted = converted
        }

        /// The figures of `code`, or zeros when nothing happened in it this month.
        public func figures(_ code: String) -> CurrencyFigures {
            currencies.first { $0.currency == code } ?? .zero(code)
        }
    }

    /// One month of the 12-month trend the HTML chart draws: net receipts and MRR at the end, per currency.
    public struct TrendPoint: Sendable, Equatable, Codable {
        /// One currency's net receipts in the month and MRR at its end, in minor units.
        public struct Figures: Sendable, Equatable, Codable {
            public var currency: String
            public var net: Int64
            public var mrr: Int64

            public init(currency: String, net: Int64, mrr: Int64) {
                self.currency = currency
                self.net = net
                self.mrr = mrr
            }
        }

        public var month: String
        public var currencies: [Figures]

        public init(month: String, currencies: [Figures]) {
            self.month = month
            self.currencies = currencies
        }
    }

    public var month: String
    public var timeZone: String
    /// First instant of the month and first instant after it, ISO 8601 UTC.
    public var periodStart: String
    public var periodEnd: String
    public var generatedAt: String
    /// How the figures are counted, stated in the report itself.
    public var basis: String
    public var currencies: [CurrencyFigures]
    public var reminders: Reminders
    /// The month before, with the same currencies, so each figure can be shown beside it.
    public var previous: MonthFigures?
    /// The twelve months ending with this one, oldest first (for the HTML chart).
    public var trend: [TrendPoint]?
    /// Totals converted into one currency, when the report was given exchange rates.
    public var converted: ConvertedTotals?
    /// The reader's box in the month: shown → continued → pledged → paid, and remind later →
    /// confirmed → converted, per campaign (empty when the box did nothing).
    public var boxFunnel: BoxFunnel
    /// Why supporters cancelled from their own page in the month (every reason, zeros included).
    public var cancellationReasons: CancellationReasons

    public static let basisText =
        "booked: each payment, refund and chargeback counts in the month of the time it happened; "
        + "MRR counts recurring pledges from their first payment until they are cancelled, annual amounts as 1/12"

    public init(
        month: ReportMonth, timeZone: TimeZone, generatedAt: Date, currencies: [CurrencyFigures], reminders: Reminders,
        previous: MonthFigures? = nil, trend: [TrendPoint]? = nil, converted: ConvertedTotals? = nil,
        boxFunnel: BoxFunnel = .empty, cancellationReasons: CancellationReasons = .empty
    ) {
        self.cancellationReasons = cancellationReasons
        let (start, end) = month.interval(in: timeZone)
        self.month = month.description
        self.timeZone = timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier
        self.periodStart = Timestamp.format(start)
        self.periodEnd = Timestamp.format(end)
        self.generatedAt = Timestamp.format(generatedAt)
        self.basis = Self.basisText
        self.currencies = currencies
        self.reminders = reminders
        self.previous = previous
        self.trend = trend
        self.converted = converted
        self.boxFunnel = boxFunnel
    }

    /// The same month as a ``MonthFigures`` (for code that treats this and the previous month alike).
    public var figures: MonthFigures {
        MonthFigures(
            month: month, periodStart: periodStart, periodEnd: periodEnd, currencies: currencies, reminders: reminders,
            converted: converted)
    }
}

extension MonthlyReport.Receipts {
    /// Fills `net` = gross − refunds − chargebacks − fees, with checked arithmetic.
    public mutating func computeNet() throws(PledgerError) {
        let (a, o1) = gross.subtractingReportingOverflow(refunds)
        let (b, o2) = a.subtractingReportingOverflow(chargebacks)
        let (c, o3) = b.subtractingReportingOverflow(fees)
        guard !(o1 || o2 || o3) else {
            throw PledgerError(
                .refused, code: "amount_overflow", message: "net receipts exceed the largest amount Pledger can hold")
        }
        net = c
    }
}
