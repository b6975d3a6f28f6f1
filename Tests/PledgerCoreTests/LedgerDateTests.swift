import Foundation
import Testing

@testable import PledgerCore

/// Issue 12, item 6: instants before 2000 and dates without a time are refused, for the API and the CLI alike.
@Suite("Ledger dates")
struct LedgerDateTests {
    let now = at("2026-11-20T12:00:00Z")

    @Test(
        "An instant before 2000-01-01 is refused as when something happened",
        arguments: ["0001-01-01T00:00:00Z", "1900-06-01T00:00:00Z", "1969-12-31T23:59:59Z", "1999-12-31T23:59:59Z"])
    func beforeLedgerStartRefused(text: String) throws {
        let instant = try Timestamp.parse(text, field: "at")
        let error = try #require(thrown { () throws(PledgerError) in try Timestamp.checkHappened(instant, now: now) })
        #expect(error.field == "at")
        #expect(error.message.contains("2000-01-01"))
    }

    @Test("2000-01-01T00:00:00Z itself is accepted")
    func ledgerStartAccepted() throws {
        try Timestamp.checkHappened(try Timestamp.parse("2000-01-01T00:00:00Z", field: "at"), now: now)
        try Timestamp.checkHappened(try Timestamp.parse("2000-01-01T03:00:00+03:00", field: "at"), now: now)
    }

    @Test("A date without a time is refused, naming the field and showing the full form")
    func bareDateRefused() throws {
        for text in ["2026-11-01", " 2026-11-01 "] {
            let error = try #require(
                thrown { () throws(PledgerError) in try Timestamp.parse(text, field: "remind_at") })
            #expect(error.field == "remind_at")
            #expect(error.message.contains("2026-11-01T00:00:00Z"))
        }
    }
}
