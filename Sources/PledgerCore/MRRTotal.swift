/// Recurring revenue in one currency at an instant: what a walk of MRR starts from and what a
/// checkpoint keeps.
public struct MRRTotal: Sendable, Equatable {
    /// Twelfths of a minor unit (a monthly amount counts 12 times, an annual one once).
    public var twelfths: Int64
    /// Supporters with any recurring revenue in the currency.
    public var supporters: Int64

    public init(twelfths: Int64, supporters: Int64) {
        self.twelfths = twelfths
        self.supporters = supporters
    }

    /// No revenue and no one holding it.
    public static let zero = MRRTotal(twelfths: 0, supporters: 0)

    /// The totals per currency of each supporter's MRR in twelfths (currency code → supporter id →
    /// twelfths); a supporter whose MRR is zero is not counted.
    /// - Throws: `PledgerError` `amount_overflow` when a sum does not fit in 64 bits.
    public static func totals(of twelfths: [String: [String: Int64]]) throws(PledgerError) -> [String: MRRTotal] {
        var result: [String: MRRTotal] = [:]
        for (currency, supporters) in twelfths {
            var total = MRRTotal.zero
            for value in supporters.values where value != 0 {
                total.twelfths = try checkedAdd(total.twelfths, value)
                total.supporters += 1
            }
            if total != .zero { result[currency] = total }
        }
        return result
    }
}
