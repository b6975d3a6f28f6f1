import Foundation
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

/// Three months of history (September–November 2026) entered through the use cases, and every
/// figure of the October and November reports checked against numbers worked out by hand.
///
/// The cast (all USD unless said):
/// - Alice: monthly 10.00 from 09-05, paid 09-05, 10-05; upgraded to 15.00 on 10-20; paid 15.00 on 11-05. Fee 0.50 each.
/// - Bob: annual 120.00, pledged and paid 10-10 (fee 3.78).
/// - Carol: one-off 25.00 paid 10-15 (fee 1.03); refunded 5.00 on 11-02.
/// - Dave: monthly 5.00 paid 09-10 and 10-10 (fee 0.45 each); cancelled 10-25; his October payment charged back 11-10 with a 15.00 dispute fee.
/// - Erik: monthly 8.00 EUR pledged and paid 10-31T22:30Z (fee 0.53 EUR) — October in UTC, November in Moscow.
/// - Fay: reminder 09-20, deferred 09-25 and 10-02; pledges one-off 10.00 on 10-12 (fee 0.59), converting it.
/// - Gina: reminder 10-03, sent 10-10.
/// - Hank: reminder 11-03, deferred 11-05, 11-06, 11-07; a fourth deferral on 11-08 is refused.
/// - Ivan: monthly 6.00 paid 09-01 (fee 0.50), cancelled 09-20; new monthly 7.00 paid 11-03 (fee 0.50): reactivated.
/// - An anonymous 3.00 payment with no pledge on 10-20 (counts as one-off, no supporter).
@Suite("Three months of history")
struct ThreeMonthScenarioTests {
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() async throws {
        ledger = try TemporaryLedger(now: instant("2026-12-15T00:00:00Z"))
        try await enterHistory()
    }

    private func pledge(_ email: String, _ amount: Money, _ cadence: Cadence, at: String) async throws -> Pledge {
        try await app.pledges.record(
            PledgeRequest(email: email, amount: amount, cadence: cadence, source: "article-footer", at: instant(at)))
    }

    private func pay(_ pledge: Pledge?, _ amount: Money, fee: Money?, id: String, at: String) async throws {
        _ = try await app.payments.record(
            PaymentRequest(
                pledgeID: pledge?.id, amount: amount, fee: fee, processor: "stripe", externalID: id, at: instant(at)))
    }

    private func remind(_ email: String, _ when: ReminderPolicy.Request = .defaultDelay, at: String) async throws
        -> ScheduledReminder
    {
        try await app.reminders.schedule(ReminderRequest(email: email, when: when, at: instant(at)))
    }

    private func enterHistory() async throws {
        // September
        let ivan1 = try await pledge("ivan@example.org", usd("6.00"), .monthly, at: "2026-09-01T11:55:00Z")
        try await pay(ivan1, usd("6.00"), fee: usd("0.50"), id: "pi_ivan_1", at: "2026-09-01T12:00:00Z")
        let alice = try await pledge("Alice@Example.org ", usd("10.00"), .monthly, at: "2026-09-05T10:00:00Z")
        try await pay(alice, usd("10.00"), fee: usd("0.50"), id: "pi_alice_1", at: "2026-09-05T10:05:00Z")
        let dave = try await pledge("dave@example.org", usd("5.00"), .monthly, at: "2026-09-10T08:00:00Z")
        try await pay(dave, usd("5.00"), fee: usd("0.45"), id: "pi_dave_1", at: "2026-09-10T08:05:00Z")
        _ = try await app.pledges.cancel(id: ivan1.id, at: instant("2026-09-20T00:00:00Z"))
        _ = try await remind("fay@example.org", at: "2026-09-20T09:00:00Z")
        _ = try await remind("fay@example.org", .delay(.days(3)), at: "2026-09-25T09:00:00Z")

        // October
        _ = try await remind("fay@example.org", .delay(.days(14)), at: "2026-10-02T09:00:00Z")
        let gina = try await remind("gina@example.org", at: "2026-10-03T09:00:00Z")
        try await pay(alice, usd("10.00"), fee: usd("0.50"), id: "pi_alice_2", at: "2026-10-05T10:05:00Z")
        let bob = try await pledge("bob@example.org", usd("120.00"), .annual, at: "2026-10-10T11:55:00Z")
        try await pay(bob, usd("120.00"), fee: usd("3.78"), id: "pi_bob_1", at: "2026-10-10T12:00:00Z")
        try await pay(dave, usd("5.00"), fee: usd("0.45"), id: "pi_dave_2", at: "2026-10-10T08:05:00Z")
        _ = try await app.reminders.markSent(id: gina.reminder.id, at: instant("2026-10-10T09:00:00Z"))
        let fay = try await pledge("fay@example.org", usd("10.00"), .oneOff, at: "2026-10-12T00:00:00Z")
        try await pay(fay, usd("10.00"), fee: usd("0.59"), id: "pi_fay_1", at: "2026-10-12T00:05:00Z")
        let carol = try await pledge("carol@example.org", usd("25.00"), .oneOff, at: "2026-10-15T08:55:00Z")
        try await pay(carol, usd("25.00"), fee: usd("1.03"), id: "pi_carol_1", at: "2026-10-15T09:00:00Z")
        _ = try await app.pledges.changeAmount(id: alice.id, amount: usd("15.00"), at: instant("2026-10-20T00:00:00Z"))
        try await pay(nil, usd("3.00"), fee: nil, id: "cash_1", at: "2026-10-20T12:00:00Z")
        _ = try await app.pledges.cancel(id: dave.id, at: instant("2026-10-25T00:00:00Z"))
        let erik = try await pledge("erik@example.org", eur("8.00"), .monthly, at: "2026-10-31T22:29:00Z")
        try await pay(erik, eur("8.00"), fee: eur("0.53"), id: "pi_erik_1", at: "2026-10-31T22:30:00Z")

        // November
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .refund, paymentExternalID: "pi_carol_1", amount: usd("5.00"), externalID: "re_carol_1",
                at: instant("2026-11-02T00:00:00Z")))
        let ivan2 = try await pledge("ivan@example.org", usd("7.00"), .monthly, at: "2026-11-02T23:55:00Z")
        try await pay(ivan2, usd("7.00"), fee: usd("0.50"), id: "pi_ivan_2", at: "2026-11-03T00:00:00Z")
        _ = try await remind("hank@example.org", at: "2026-11-03T09:00:00Z")
        _ = try await remind("hank@example.org", at: "2026-11-05T09:00:00Z")
        _ = try await remind("hank@example.org", at: "2026-11-06T09:00:00Z")
        _ = try await remind("hank@example.org", at: "2026-11-07T09:00:00Z")
        try await pay(alice, usd("15.00"), fee: usd("0.50"), id: "pi_alice_3", at: "2026-11-05T10:05:00Z")
        _ = try await app.payments.reverse(
            ReversalRequest(
                kind: .chargeback, paymentExternalID: "pi_dave_2", fee: usd("15.00"), externalID: "dp_dave_1",
                at: instant("2026-11-10T00:00:00Z")))
    }

    private func figures(_ report: MonthlyReport, _ code: String) throws -> MonthlyReport.CurrencyFigures {
        try #require(report.currencies.first { $0.currency == code })
    }

    @Test("October 2026 in UTC")
    func october() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        #expect(report.month == "2026-10")
        #expect(report.timeZone == "UTC")
        #expect(report.periodStart == "2026-10-01T00:00:00Z")
        #expect(report.currencies.map(\.currency) == ["EUR", "USD"])

        let usdFigures = try figures(report, "USD")
        var receipts = MonthlyReport.Receipts()
        // Payments: Alice 10.00, Bob 120.00, Dave 5.00, Fay 10.00, Carol 25.00, anonymous 3.00.
        receipts.payments = 6
        receipts.gross = 17300
        receipts.oneOff = 3800  // Carol 25 + Fay 10 + anonymous 3
        receipts.monthly = 1500  // Alice 10 + Dave 5
        receipts.annual = 12000  // Bob
        receipts.fees = 635  // 0.50 + 3.78 + 0.45 + 0.59 + 1.03
        receipts.net = 16665  // 17300 − 635
        receipts.payingSupporters = 5  // the anonymous payment has no supporter
        #expect(usdFigures.receipts == receipts)

        var pledges = MonthlyReport.Pledges()
        pledges.createdOneOff = 2  // Fay, Carol
        pledges.createdAnnual = 1  // Bob
        pledges.activated = 1  // Bob's first payment
        pledges.cancelled = 1  // Dave
        pledges.upgraded = 1  // Alice
        #expect(usdFigures.pledges == pledges)

        // MRR in twelfths: start Alice 12000 + Dave 6000 = 18000 → 15.00.
        // End: Alice 18000 (15.00 × 12) + Bob 12000 (120.00 annual) = 30000 → 25.00.
        // Bob new 12000 → 10.00; Alice expansion 6000 → 5.00; Dave churned 6000 → 5.00.
        #expect(
            usdFigures.mrr
                == MRRMovement(
                    start: 1500, new: 1000, reactivated: 0, expansion: 500, contraction: 0, churned: 500, end: 2500))
        #expect(usdFigures.arr == 30000)

        let eurFigures = try figures(report, "EUR")
        #expect(eurFigures.receipts.payments == 1)
        #expect(eurFigures.receipts.gross == 800)
        #expect(eurFigures.receipts.monthly == 800)
        #expect(eurFigures.receipts.fees == 53)
        #expect(eurFigures.receipts.net == 747)
        #expect(eurFigures.pledges.createdMonthly == 1)
        #expect(
            eurFigures.mrr
                == MRRMovement(start: 0, new: 800, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 800))
        #expect(eurFigures.arr == 9600)

        // Gina scheduled and sent; Fay deferred once more (10-02) and converted (10-12).
        var reminders = MonthlyReport.Reminders()
        reminders.scheduled = 1
        reminders.deferred = 1
        reminders.sent = 1
        reminders.converted = 1
        #expect(report.reminders == reminders)
    }

    @Test("November 2026 in UTC")
    func november() async throws {
        let report = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt)
        #expect(report.currencies.map(\.currency) == ["EUR", "USD"])

        let usdFigures = try figures(report, "USD")
        var receipts = MonthlyReport.Receipts()
        receipts.payments = 2  // Ivan 7.00, Alice 15.00
        receipts.gross = 2200
        receipts.monthly = 2200
        receipts.refunds = 500  // Carol
        receipts.chargebacks = 500  // Dave's October payment
        receipts.fees = 1600  // 0.50 + 0.50 + 15.00 dispute fee
        receipts.net = -400  // 2200 − 500 − 500 − 1600
        receipts.payingSupporters = 2
        #expect(usdFigures.receipts == receipts)

        var pledges = MonthlyReport.Pledges()
        pledges.createdMonthly = 1  // Ivan's second pledge
        pledges.activated = 1
        #expect(usdFigures.pledges == pledges)

        // Start 30000 twelfths (25.00). Ivan returns: none at start, had MRR in September → reactivated 8400 (7.00).
        #expect(
            usdFigures.mrr
                == MRRMovement(
                    start: 2500, new: 0, reactivated: 700, expansion: 0, contraction: 0, churned: 0, end: 3200))
        #expect(usdFigures.arr == 38400)

        // Erik keeps paying nothing new in November but his MRR carries.
        let eurFigures = try figures(report, "EUR")
        #expect(eurFigures.receipts == MonthlyReport.Receipts())
        #expect(
            eurFigures.mrr
                == MRRMovement(start: 800, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 800))

        // Hank: scheduled once and deferred three times; the fourth was refused and left no trace.
        var reminders = MonthlyReport.Reminders()
        reminders.scheduled = 1
        reminders.deferred = 3
        #expect(report.reminders == reminders)
    }

    @Test("Erik's payment at 22:30 UTC on 31 October is November in Moscow")
    func boundaryInTwoTimeZones() async throws {
        let moscow = try parseTimeZone("Europe/Moscow")
        let october = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: moscow)
        #expect(october.periodStart == "2026-09-30T21:00:00Z")
        #expect(october.currencies.map(\.currency) == ["USD"])
        let utcOctober = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt)
        // No USD event lies within three hours of either boundary, so USD is the same in both zones.
        #expect(try figures(october, "USD") == figures(utcOctober, "USD"))

        let november = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: moscow)
        let eurFigures = try figures(november, "EUR")
        #expect(eurFigures.receipts.payments == 1)
        #expect(eurFigures.receipts.gross == 800)
        #expect(eurFigures.pledges.createdMonthly == 1)
        #expect(
            eurFigures.mrr
                == MRRMovement(start: 0, new: 800, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 800))
    }

    @Test("Refused operations change nothing")
    func refusals() async throws {
        let before = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt)

        // A fourth deferral of Hank's reminder.
        await #expect { try await remind("hank@example.org", at: "2026-11-08T09:00:00Z") } throws: {
            ($0 as? PledgerError)?.code == "deferral_limit_reached"
        }
        // Refunding Carol more than the 20.00 left of her 25.00.
        await #expect {
            try await app.payments.reverse(
                ReversalRequest(
                    kind: .refund, paymentExternalID: "pi_carol_1", amount: usd("20.01"),
                    at: instant("2026-11-12T00:00:00Z")))
        } throws: { ($0 as? PledgerError)?.code == "refund_exceeds_payment" }
        // Booking Alice's November payment twice.
        let alice = try #require(try await app.pledges.list(email: "alice@example.org").first)
        await #expect {
            try await pay(alice, usd("15.00"), fee: nil, id: "pi_alice_3", at: "2026-11-12T00:00:00Z")
        } throws: { ($0 as? PledgerError)?.kind == .conflict }
        // Cancelling Dave twice.
        let dave = try #require(try await app.pledges.list(email: "dave@example.org").first)
        await #expect { try await app.pledges.cancel(id: dave.id, at: instant("2026-11-12T00:00:00Z")) } throws: {
            ($0 as? PledgerError)?.message.contains("from cancelled to cancelled") == true
        }

        let after = try await app.reports.monthly(month: .init(year: 2026, month: 11), timeZone: .gmt)
        #expect(after.currencies == before.currencies)
        #expect(after.reminders == before.reminders)
        let verification = try await app.operations.verify()
        #expect(verification.breaches == [])
        #expect(verification.transactionsChecked == 14)  // 12 payments + 1 refund + 1 chargeback
    }

    @Test("Pledge states and reminders after the history")
    func states() async throws {
        let byEmail = { (email: String) async throws -> [Pledge] in try await self.app.pledges.list(email: email) }
        #expect(try await byEmail("alice@example.org").map(\.status) == [.active])
        #expect(try await byEmail("alice@example.org").first?.amount == usd("15.00"))
        #expect(try await byEmail("dave@example.org").map(\.status) == [.cancelled])
        #expect(try await byEmail("carol@example.org").map(\.status) == [.completed])
        #expect(try await byEmail("ivan@example.org").map(\.status) == [.active, .cancelled])  // newest first

        let fay = try await app.reminders.list(email: "fay@example.org")
        #expect(fay.map(\.status) == [.converted])
        #expect(fay.first?.deferrals == 2)
        let hank = try await app.reminders.list(email: "hank@example.org")
        #expect(hank.first?.deferrals == 3)
        // Hank's reminder, last deferred on 11-07 by the default 7 days, is due on 11-14.
        #expect(hank.first?.dueAt == instant("2026-11-14T09:00:00Z"))
        let due = try await app.reminders.due(at: instant("2026-11-14T09:00:00Z"))
        #expect(due.map(\.email) == ["hank@example.org"])
        #expect(try await app.reminders.due(at: instant("2026-11-14T08:59:59Z")).isEmpty)
    }
}
