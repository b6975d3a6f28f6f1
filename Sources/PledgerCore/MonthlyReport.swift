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

        public init(currency: String, receipts: Receipts, pledges: Pledges, mrr: MRRMovement, arr: Int64) {
            self.currency = currency
            self.receipts = receipts
            self.pledges = pledges
            self.mrr = mrr
            self.arr = arr
        }
    }

    /// "Remind me later" figures; reminders carry no currency.
    public struct Reminders: Sendable, Equatable, Codable {
        public var scheduled: Int64 = 0
        public var deferred: Int64 = 0
        public var sent: Int64 = 0
        public var converted: Int64 = 0
        public init() {}
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

    public static let basisText = "booked: each payment, refund and chargeback counts in the month of the time it happened; "
        + "MRR counts recurring pledges from their first payment until they are cancelled, annual amounts as 1/12"

    public init(month: ReportMonth, timeZone: TimeZone, generatedAt: Date, currencies: [CurrencyFigures], reminders: Reminders) {
        let (start, end) = month.interval(in: timeZone)
        self.month = month.description
        self.timeZone = timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier
        self.periodStart = Timestamp.format(start)
        self.periodEnd = Timestamp.format(end)
        self.generatedAt = Timestamp.format(generatedAt)
        self.basis = Self.basisText
        self.currencies = currencies
        self.reminders = reminders
    }
}

extension MonthlyReport.Receipts {
    /// Fills `net` = gross − refunds − chargebacks − fees, with checked arithmetic.
    public mutating func computeNet() throws(PledgerError) {
        let (a, o1) = gross.subtractingReportingOverflow(refunds)
        let (b, o2) = a.subtractingReportingOverflow(chargebacks)
        let (c, o3) = b.subtractingReportingOverflow(fees)
        guard !(o1 || o2 || o3) else {
            throw PledgerError(.refused, code: "amount_overflow", message: "net receipts exceed the largest amount Pledger can hold")
        }
        net = c
    }
}
