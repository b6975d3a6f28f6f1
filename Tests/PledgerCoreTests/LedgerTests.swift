import Foundation
import Testing

@testable import PledgerCore

/// `LedgerTransaction` and `Bookkeeping`: DESIGN "The domain", Ledger.
@Suite("Ledger")
struct LedgerTests {

    static func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }
    static func eur(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .eur) }

    static func transaction(_ postings: [Posting]) throws(PledgerError) -> LedgerTransaction {
        try LedgerTransaction(
            kind: .payment, processor: "stripe", externalID: "ch_1", occurredAt: at("2026-10-14T09:30:00Z"),
            postings: postings
        )
    }

    /// Sums postings per currency code, independently of `CurrencyTotals`.
    static func sums(_ postings: [Posting]) -> [String: Int64] {
        postings.reduce(into: [:]) { $0[$1.amount.currency.code, default: 0] += $1.amount.minorUnits }
    }

    // MARK: Balanced or not

    @Test func balancedTwoPostingsAccepted() throws {
        let postings = [
            Posting("assets:processor:stripe", Self.usd(500)), Posting("income:donations:monthly", Self.usd(-500)),
        ]
        let tx = try Self.transaction(postings)
        #expect(tx.postings == postings)
        #expect(tx.kind == .payment)
        #expect(tx.processor == "stripe")
        #expect(tx.externalID == "ch_1")
        #expect(tx.occurredAt == at("2026-10-14T09:30:00Z"))
    }

    @Test func balancedFourPostingsAccepted() throws {
        let tx = try Self.transaction([
            Posting("assets:processor:stripe", Self.usd(1_000)),
            Posting("income:donations:annual", Self.usd(-1_000)),
            Posting("expenses:fees:stripe", Self.usd(59)),
            Posting("assets:processor:stripe", Self.usd(-59)),
        ])
        #expect(tx.postings.count == 4)
    }

    /// Balanced in USD and, separately, in EUR: accepted.
    @Test func balancedPerCurrencyAccepted() throws {
        let tx = try Self.transaction([
            Posting("assets:processor:stripe", Self.usd(500)),
            Posting("income:donations:monthly", Self.usd(-500)),
            Posting("assets:processor:stripe", Self.eur(700)),
            Posting("income:donations:monthly", Self.eur(-700)),
        ])
        #expect(tx.postings.count == 4)
    }

    /// Unbalanced: refused, `unbalanced_transaction`, naming the currency and before anything is made.
    @Test(arguments: [
        ([Int64(500), -499], "USD"),
        ([500, -500, 1], "USD"),
        ([1_000, -900, -99], "USD"),
        ([500, 500], "USD"),
    ])
    func unbalancedRefused(amounts: [Int64], currency: String) throws {
        let postings = amounts.enumerated().map { Posting("account:\($0.offset)", Self.usd($0.element)) }
        let error = try #require(thrown { () throws(PledgerError) in try Self.transaction(postings) })
        #expect(error.kind == .refused)
        #expect(error.code == "unbalanced_transaction")
        #expect(error.message.contains(currency))
        #expect(throws: PledgerError.self) { try LedgerTransaction.checkBalanced(postings) }
    }

    /// The same 500 in two currencies is not a balance: USD +500 / EUR −500 is refused.
    @Test func crossCurrencyDoesNotBalance() throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try Self.transaction([
                    Posting("assets:processor:stripe", Self.usd(500)),
                    Posting("income:donations:monthly", Self.eur(-500)),
                ])
            })
        #expect(error.code == "unbalanced_transaction")
        #expect(error.message.contains("USD") || error.message.contains("EUR"))
    }

    /// Balanced in USD but not in EUR: the message names EUR.
    @Test func unbalancedCurrencyIsTheOneNamed() throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try LedgerTransaction.checkBalanced([
                    Posting("a", Self.usd(500)), Posting("b", Self.usd(-500)),
                    Posting("a", Self.eur(300)), Posting("b", Self.eur(-200)),
                ])
            })
        #expect(error.code == "unbalanced_transaction")
        #expect(error.message.contains("EUR"))
        #expect(!error.message.contains("USD"))
    }

    @Test(arguments: [[Int64](), [0], [500]])
    func fewerThanTwoPostingsRefused(amounts: [Int64]) throws {
        let postings = amounts.map { Posting("assets:processor:stripe", Self.usd($0)) }
        let error = try #require(thrown { () throws(PledgerError) in try LedgerTransaction.checkBalanced(postings) })
        #expect(error.kind == .refused)
        #expect(error.code == "unbalanced_transaction")
    }

    @Test func emptyAccountRefused() throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try LedgerTransaction.checkBalanced([
                    Posting("", Self.usd(500)), Posting("income:donations:monthly", Self.usd(-500)),
                ])
            })
        #expect(error.code == "unbalanced_transaction")
    }

    // MARK: Bookkeeping.payment

    @Test func paymentWithFee() throws {
        let postings = try Bookkeeping.payment(
            gross: Self.usd(500), fee: Self.usd(45), cadence: .monthly, processor: "stripe")
        #expect(
            postings == [
                Posting("assets:processor:stripe", Self.usd(500)),
                Posting("income:donations:monthly", Self.usd(-500)),
                Posting("expenses:fees:stripe", Self.usd(45)),
                Posting("assets:processor:stripe", Self.usd(-45)),
            ])
        #expect(Self.sums(postings) == ["USD": 0])
        // The processor account nets to gross − fee.
        let held = postings.filter { $0.account == "assets:processor:stripe" }.map(\.amount.minorUnits).reduce(0, +)
        #expect(held == 455)
        #expect(throws: Never.self) { try Self.transaction(postings) }
    }

    /// No fee, or a zero fee, adds no fee postings.
    @Test(arguments: [nil, Money(minorUnits: 0, currency: .usd)] as [Money?])
    func paymentWithoutFee(fee: Money?) throws {
        let postings = try Bookkeeping.payment(gross: Self.usd(1_200), fee: fee, cadence: .annual, processor: "stripe")
        #expect(
            postings == [
                Posting("assets:processor:stripe", Self.usd(1_200)),
                Posting("income:donations:annual", Self.usd(-1_200)),
            ])
        #expect(!postings.contains { $0.account.hasPrefix("expenses:") })
    }

    @Test(arguments: Cadence.allCases)
    func paymentIncomeAccountFollowsCadence(cadence: Cadence) throws {
        let postings = try Bookkeeping.payment(
            gross: Self.usd(300), fee: nil, cadence: cadence, processor: "own-gateway")
        #expect(postings[0].account == "assets:processor:own-gateway")
        #expect(postings[1].account == "income:donations:\(cadence.rawValue)")
    }

    @Test func paymentOfInt64MinIsAnErrorNotATrap() throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try Bookkeeping.payment(gross: Self.usd(.min), fee: nil, cadence: .oneOff, processor: "stripe")
            })
        #expect(error.code == "amount_overflow")
    }

    // MARK: Bookkeeping.reversal

    @Test func reversalWithDisputeFee() throws {
        let postings = try Bookkeeping.reversal(
            amount: Self.usd(500), fee: Self.usd(1_500), cadence: .monthly, processor: "stripe")
        #expect(
            postings == [
                Posting("income:donations:monthly", Self.usd(500)),
                Posting("assets:processor:stripe", Self.usd(-500)),
                Posting("expenses:fees:stripe", Self.usd(1_500)),
                Posting("assets:processor:stripe", Self.usd(-1_500)),
            ])
        #expect(Self.sums(postings) == ["USD": 0])
        #expect(throws: Never.self) { try Self.transaction(postings) }
    }

    /// A full reversal exactly undoes the payment's income posting.
    @Test(arguments: [nil, Money(minorUnits: 0, currency: .eur)] as [Money?])
    func reversalWithoutFeeMirrorsThePayment(fee: Money?) throws {
        let payment = try Bookkeeping.payment(gross: Self.eur(2_000), fee: nil, cadence: .oneOff, processor: "stripe")
        let reversal = try Bookkeeping.reversal(
            amount: Self.eur(2_000), fee: fee, cadence: .oneOff, processor: "stripe")
        #expect(reversal.count == 2)
        #expect(Self.sums(payment + reversal) == ["EUR": 0])
        let income = (payment + reversal).filter { $0.account == "income:donations:one_off" }.map(\.amount.minorUnits)
            .reduce(0, +)
        #expect(income == 0)
    }

    // MARK: Bookkeeping.checkReversible

    /// Paid 10.00, 3.00 already refunded: exactly 7.00 more is fine.
    @Test func reversingExactlyTheRemainderIsAllowed() {
        #expect(throws: Never.self) {
            try Bookkeeping.checkReversible(
                Self.usd(700), paid: Self.usd(1_000), alreadyReversed: Self.usd(300), paymentID: "pm_1")
        }
        #expect(throws: Never.self) {
            try Bookkeeping.checkReversible(
                Self.usd(1), paid: Self.usd(1_000), alreadyReversed: Self.usd(0), paymentID: "pm_1")
        }
        #expect(throws: Never.self) {
            try Bookkeeping.checkReversible(
                Self.usd(1_000), paid: Self.usd(1_000), alreadyReversed: Self.usd(0), paymentID: "pm_1")
        }
    }

    /// One minor unit more than what is left: refused, naming the payment.
    @Test(arguments: [(Int64(701), Int64(300)), (1_001, 0), (1, 1_000)])
    func reversingMoreThanLeftIsRefused(amount: Int64, alreadyReversed: Int64) throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try Bookkeeping.checkReversible(
                    Self.usd(amount), paid: Self.usd(1_000), alreadyReversed: Self.usd(alreadyReversed),
                    paymentID: "pm_42"
                )
            })
        #expect(error.kind == .refused)
        #expect(error.code == "refund_exceeds_payment")
        #expect(error.field == "amount")
        #expect(error.message.contains("pm_42"))
    }

    @Test(arguments: [Int64(0), -1, -500])
    func reversingZeroOrLessIsInvalid(amount: Int64) throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try Bookkeeping.checkReversible(
                    Self.usd(amount), paid: Self.usd(1_000), alreadyReversed: Self.usd(0), paymentID: "pm_1")
            })
        #expect(error.kind == .invalid)
        #expect(error.field == "amount")
    }

    /// A refund in another currency than the payment cannot be compared with it and must be refused.
    @Test
    func reversalInAnotherCurrencyIsRefused() {
        #expect(throws: PledgerError.self) {
            try Bookkeeping.checkReversible(
                Self.eur(500), paid: Self.usd(1_000), alreadyReversed: Self.usd(0), paymentID: "pm_1")
        }
    }

    // MARK: checkProcessor / checkExternalID

    @Test(arguments: [
        ("stripe", "stripe"), ("Stripe", "stripe"), (" own-gateway_2 ", "own-gateway_2"), ("paypal", "paypal"),
        (String(repeating: "a", count: 40), String(repeating: "a", count: 40)),
    ])
    func processorNamesAccepted(text: String, expected: String) throws {
        #expect(try Bookkeeping.checkProcessor(text) == expected)
    }

    /// Anything that could not sit safely inside an account name is refused, naming `processor`.
    @Test(arguments: [
        "", "  ", "pay pal", "a:b", "stripe.com", "strípe", "stripe/eu", "💳",
        String(repeating: "a", count: 41),
    ])
    func processorNamesRefused(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try Bookkeeping.checkProcessor(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "processor")
    }

    @Test(arguments: [
        ("ch_3Nq", "ch_3Nq"), ("  re_1 ", "re_1"),  // a line break is a control character: refused
        (String(repeating: "x", count: 255), String(repeating: "x", count: 255)),
    ])
    func externalIDsAccepted(text: String, expected: String) throws {
        #expect(try Bookkeeping.checkExternalID(text) == expected)
    }

    @Test(arguments: ["", " ", "\n\t", String(repeating: "x", count: 256)])
    func externalIDsRefused(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try Bookkeeping.checkExternalID(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "external_id")
        #expect(
            thrown { () throws(PledgerError) in try Bookkeeping.checkExternalID(text, field: "charge") }?.field
                == "charge")
    }
}
