import Foundation

/// A report's money figures converted into one currency: each currency's figure is converted at
/// its month's rate and rounded half to even to the target's minor unit, then the currencies are
/// added. Net is worked out from the converted parts so the converted statement adds up; ARR is 12 × MRR.
public struct ConvertedTotals: Sendable, Equatable, Codable {
    /// A rate the conversion used.
    public struct Rate: Sendable, Equatable, Codable {
        public var currency: String
        public var date: String
        /// As written in the rates file: units of the target currency per unit of `currency`.
        public var rate: String

        public init(currency: String, date: String, rate: String) {
            self.currency = currency
            self.date = date
            self.rate = rate
        }
    }

    public var currency: String
    public var rates: [Rate] = []
    public var gross: Int64 = 0
    public var refunds: Int64 = 0
    public var chargebacks: Int64 = 0
    public var fees: Int64 = 0
    public var net: Int64 = 0
    /// MRR at the month's end.
    public var mrr: Int64 = 0
    public var mrrAtRisk: Int64 = 0
    public var arr: Int64 = 0

    public init(currency: String) {
        self.currency = currency
    }

    /// Converts and adds up `figures` (one block per currency) for `month` with `rates`.
    /// - Throws: `PledgerError` naming the currency and date when a rate is missing, or on overflow.
    public static func convert(_ figures: [MonthlyReport.CurrencyFigures], month: ReportMonth, rates: ExchangeRates)
        throws(PledgerError) -> ConvertedTotals
    {
        var totals = ConvertedTotals(currency: rates.target.code)
        for block in figures {
            guard let currency = Currency(code: block.currency) else {
                throw .invalid("rates", "\(block.currency) is not a currency Pledger can convert")
            }
            let rate = try rates.rate(for: currency, in: month)
            func convert(_ value: Int64) throws(PledgerError) -> Int64 { try rate?.convert(value) ?? value }
            if let rate { totals.rates.append(Rate(currency: currency.code, date: rate.date, rate: rate.text)) }
            totals.gross = try checkedAdd(totals.gross, convert(block.receipts.gross))
            totals.refunds = try checkedAdd(totals.refunds, convert(block.receipts.refunds))
            totals.chargebacks = try checkedAdd(totals.chargebacks, convert(block.receipts.chargebacks))
            totals.fees = try checkedAdd(totals.fees, convert(block.receipts.fees))
            totals.mrr = try checkedAdd(totals.mrr, convert(block.mrr.end))
            totals.mrrAtRisk = try checkedAdd(totals.mrrAtRisk, convert(block.mrrAtRisk))
        }
        var receipts = MonthlyReport.Receipts()
        (receipts.gross, receipts.refunds, receipts.chargebacks, receipts.fees) = (
            totals.gross, totals.refunds, totals.chargebacks, totals.fees
        )
        try receipts.computeNet()
        totals.net = receipts.net
        let (arr, overflow) = totals.mrr.multipliedReportingOverflow(by: 12)
        guard !overflow else {
            throw PledgerError(
                .refused, code: "amount_overflow", message: "converted ARR exceeds the largest amount Pledger can hold")
        }
        totals.arr = arr
        return totals
    }
}
