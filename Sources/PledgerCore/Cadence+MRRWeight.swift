/// MRR is kept in twelfths of a minor unit, so an annual amount (amount / 12 a month) stays exact
/// until the one rounding after summing (DESIGN "The monthly revenue report").
extension Cadence {
    /// How many twelfths of a minor unit each minor unit of a pledge's amount adds to MRR:
    /// a monthly amount counts 12 twelfths, an annual one 1, a one-off gift none.
    public var mrrWeight: Int64 {
        switch self {
        case .monthly: 12
        case .annual: 1
        case .oneOff: 0
        }
    }

    /// The MRR in twelfths of a minor unit of a pledge of `amount` minor units at this cadence.
    /// - Throws: `PledgerError` `amount_overflow` when the product does not fit in 64 bits.
    public func mrrTwelfths(amount: Int64) throws(PledgerError) -> Int64 {
        let (twelfths, overflow) = amount.multipliedReportingOverflow(by: mrrWeight)
        guard !overflow else {
            throw PledgerError(
                .refused, code: "amount_overflow",
                message: "MRR of \(amount) exceeds the largest amount Pledger can hold")
        }
        return twelfths
    }
}
