import Foundation
import Testing

@testable import PledgerCore

/// Issue 12, item 3: a maximum per pledge and per payment, chosen so report sums cannot overflow.
@Suite("Maximum amount")
struct MaximumAmountPolicyTests {
    @Test("The default is 1,000,000 major units, capped at the ceiling for 4-decimal currencies")
    func defaults() throws {
        let policy = MaximumAmountPolicy.default
        #expect(policy.maximum(for: .usd).minorUnits == 100_000_000)
        #expect(policy.maximum(for: .jpy).minorUnits == 1_000_000)
        #expect(policy.maximum(for: .kwd).minorUnits == 1_000_000_000)
        #expect(policy.maximum(for: .clf).minorUnits == MaximumAmountPolicy.ceilingMinorUnits)
    }

    @Test("The ceiling times the most amounts a report sums, and ARR of the largest MRR, fit in Int64")
    func ceilingCannotOverflow() {
        let ceiling = MaximumAmountPolicy.ceilingMinorUnits
        #expect(ceiling == 7_686_143_364)
        #expect(!ceiling.multipliedReportingOverflow(by: MaximumAmountPolicy.summedAmountsBound).overflow)
        let mrr = ceiling.multipliedReportingOverflow(by: 10_000_000)
        #expect(!mrr.overflow && !mrr.partialValue.multipliedReportingOverflow(by: 12).overflow)
    }

    @Test("The largest Int64 amount is refused, naming the field; the maximum itself passes")
    func check() throws {
        let policy = MaximumAmountPolicy.default
        try policy.check(Money(minorUnits: 100_000_000, currency: .usd))
        let error = try #require(
            thrown { () throws(PledgerError) in
                try policy.check(Money(minorUnits: 9_223_372_036_854_775_807, currency: .usd))
            })
        #expect(error.code == "amount_above_maximum")
        #expect(error.field == "amount")
        #expect(error.message.contains("1,000,000.00 USD") || error.message.contains("1000000.00 USD"))
        #expect(throws: PledgerError.self) { try policy.check(Money(minorUnits: 100_000_001, currency: .usd)) }
    }

    @Test("PLEDGER_MAX_AMOUNT: a number for every currency, CODE=AMOUNT for one; over the ceiling refused")
    func parse() throws {
        let policy = try MaximumAmountPolicy.parse("50000, IDR=50000000")
        #expect(policy.maximum(for: .usd).minorUnits == 5_000_000)
        #expect(policy.maximum(for: try Currency.parse("IDR")).minorUnits == 5_000_000_000)
        #expect(try MaximumAmountPolicy.parse("") == .default)
        for text in ["0", "-5", "abc", "USD=", "USD=1e3", "USD=100000000", "IDR=150000000", "USD=5,USD=6", "ZZZ=5"] {
            let error = try #require(thrown { () throws(PledgerError) in try MaximumAmountPolicy.parse(text) })
            #expect(error.field == "PLEDGER_MAX_AMOUNT", "\(text)")
        }
    }
}
