import Foundation
import Testing

@testable import PledgerCore

@Suite("Days for export ranges")
struct ReportDayTests {
    @Test("A day runs from local midnight to the next, in the zone given")
    func bounds() throws {
        let day = try ReportDay.parse("2026-10-31", field: "to")
        #expect(day.description == "2026-10-31")
        #expect(day.start(in: .gmt) == at("2026-10-31T00:00:00Z"))
        #expect(day.end(in: .gmt) == at("2026-11-01T00:00:00Z"))
        let moscow = try parseTimeZone("Europe/Moscow")
        #expect(day.start(in: moscow) == at("2026-10-30T21:00:00Z"))
        // New York leaves summer time on 2026-11-01: that day has 25 hours.
        let newYork = try parseTimeZone("America/New_York")
        let fallBack = try ReportDay.parse("2026-11-01", field: "from")
        #expect(fallBack.end(in: newYork).timeIntervalSince(fallBack.start(in: newYork)) == 25 * 3600)
        #expect(ReportDay.containing(at("2026-10-31T22:30:00Z"), in: moscow).description == "2026-11-01")
        #expect(try ReportDay.parse("2026-10-30", field: "from") < day)
    }

    @Test("Impossible or malformed dates name the field")
    func refused() {
        for text in ["2026-02-29", "2026-13-01", "2026-1-01", "26-10-01", "2026/10/01", "", "1969-12-31"] {
            #expect(
                thrown { () throws(PledgerError) in try ReportDay.parse(text, field: "from") }?.description
                    == "from: \"\(text)\" is not a date; use YYYY-MM-DD, e.g. 2026-10-31")
        }
        #expect((try? ReportDay.parse("2028-02-29", field: "from")) != nil)  // a leap day
    }
}
