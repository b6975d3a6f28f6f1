import Foundation
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

@testable import PledgerStore

/// A stored value Pledger cannot read is refused with its table, column and value, never read as
/// a default (an unknown currency must not become dollars).
@Suite("Row decoding")
struct RowDecodingTests {
    @Test("A pledge whose currency code is unknown is refused, not read as USD")
    func unknownCurrency() async throws {
        // Given a pledge in euros
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let pledge = try await ledger.app.pledges.record(
            PledgeRequest(email: "a@example.org", amount: eur("5.00"), cadence: .monthly))
        // When its currency is changed behind Pledger's back to a code no build knows
        try ledger.executeRawSQL("UPDATE pledges SET currency = 'ZZZ' WHERE id = '\(pledge.id)'")
        // Then reading it names what could not be read
        await #expect(throws: StoreError.undecodable(table: "pledges", column: "currency", value: "ZZZ")) {
            try await ledger.app.pledges.pledge(id: pledge.id)
        }
        await #expect(throws: StoreError.undecodable(table: "pledges", column: "currency", value: "ZZZ")) {
            try await ledger.app.pledges.list()
        }
    }

    @Test("The message names the table, the column and the value")
    func message() {
        let error = StoreError.undecodable(table: "payments", column: "cadence", value: "weekly")
        #expect(error.description.contains("payments table holds cadence \"weekly\""))
        #expect(StorageFailure.message(error) == error.description)
    }
}
