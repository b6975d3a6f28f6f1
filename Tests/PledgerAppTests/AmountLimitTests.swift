import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import Testing

/// Issue 12, item 3: one huge pledge or payment no longer breaks every report, and verify sees one.
@Suite("Amount limits")
struct AmountLimitTests {
    let now = instant("2026-11-20T12:00:00Z")

    @Test("A pledge of 92233720368547758.07 USD is refused and nothing is stored")
    func hugePledgeRefused() async throws {
        let ledger = try TemporaryLedger(now: now)
        let huge = money("92233720368547758.07", .usd)
        await #expect {
            try await ledger.app.pledges.record(PledgeRequest(email: "a@example.org", amount: huge, cadence: .monthly))
        } throws: { error in
            (error as? PledgerError)?.code == "amount_above_maximum" && (error as? PledgerError)?.field == "amount"
        }
        #expect(try await ledger.store.read { try $0.rowCounts()["pledges"] } == 0)
    }

    @Test("A payment or an amount change above the maximum is refused; the maximum itself is booked")
    func paymentAndChange() async throws {
        let ledger = try TemporaryLedger(now: now)
        let pledge = try await ledger.app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: usd("1000000.00"), cadence: .monthly))
        await #expect(throws: PledgerError.self) {
            try await ledger.app.payments.record(
                PaymentRequest(pledgeID: pledge.id, amount: usd("1000000.01"), externalID: "ch_big"))
        }
        await #expect(throws: PledgerError.self) {
            try await ledger.app.pledges.changeAmount(id: pledge.id, amount: usd("1000000.01"))
        }
        _ = try await ledger.app.payments.record(
            PaymentRequest(pledgeID: pledge.id, amount: usd("1000000.00"), externalID: "ch_max"))
        _ = try await ledger.app.reports.monthly(month: try ReportMonth.parse("2026-11"), timeZone: .gmt)
    }

    @Test("PLEDGER_MAX_AMOUNT lowers the maximum")
    func configured() async throws {
        let config = try PledgerConfig.fromEnvironment(["PLEDGER_MAX_AMOUNT": "500"])
        let ledger = try TemporaryLedger(now: now, config: config)
        await #expect(throws: PledgerError.self) {
            try await ledger.app.pledges.record(
                PledgeRequest(email: "a@example.org", amount: usd("500.01"), cadence: .monthly))
        }
        _ = try await ledger.app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: usd("500.00"), cadence: .monthly))
        #expect(throws: PledgerError.self) { try PledgerConfig.fromEnvironment(["PLEDGER_MAX_AMOUNT": "lots"]) }
    }

    @Test("verify fails on an amount no report can sum, written behind Pledger's back")
    func verifySeesUnsummableAmounts() async throws {
        let ledger = try TemporaryLedger(now: now)
        let pledge = try await ledger.app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: usd("10.00"), cadence: .monthly))
        #expect(try await ledger.app.operations.verify().breaches.isEmpty)
        try ledger.executeRawSQL("UPDATE pledges SET amount = 9223372036854775807 WHERE id = '\(pledge.id)'")
        let breaches = try await ledger.app.operations.verify().breaches
        #expect(
            breaches.contains { $0.contains("pledge \(pledge.id)") && $0.contains("report can sum") }, "\(breaches)")
    }
}
