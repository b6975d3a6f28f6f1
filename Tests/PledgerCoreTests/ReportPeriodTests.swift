import Foundation
import Testing

@testable import PledgerCore

/// `ReportMonth` and `parseTimeZone`: DESIGN "The monthly revenue report", `[start of M, start of M+1)`.
@Suite("Report period")
struct ReportPeriodTests {

    static func zone(_ id: String) -> TimeZone {
        TimeZone(identifier: id)!
    }

    // MARK: parse

    @Test(arguments: [
        ("2026-10", 2026, 10), ("2026-01", 2026, 1), ("2026-12", 2026, 12), (" 2026-10 ", 2026, 10),
        ("1970-01", 1970, 1), ("2100-02", 2100, 2),
    ])
    func parsesGoodMonths(text: String, year: Int, month: Int) throws {
        let parsed = try ReportMonth.parse(text)
        #expect(parsed == ReportMonth(year: year, month: month))
        #expect(parsed.description == String(format: "%04d-%02d", year, month))
    }

    @Test(arguments: [
        "2026-13", "2026-00", "2026-1", "26-10", "2026/10", "", " ", "2026-10-01", "202610",
        "2026-1a", "Oct 2026", "1969-12", "2026-", "-10", "２０２６-10", "2026 -10",
    ])
    func refusesBadMonthsNamingTheField(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try ReportMonth.parse(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "month")
        #expect(thrown { () throws(PledgerError) in try ReportMonth.parse(text, field: "from") }?.field == "from")
    }

    /// Only digits make a month: a sign inside the month part is not `MM`.
    @Test
    func signedMonthPartIsRefused() {
        #expect(throws: PledgerError.self) { try ReportMonth.parse("2026-+1") }
    }

    // MARK: interval(in:)

    @Test func intervalInUTC() {
        let (start, end) = ReportMonth(year: 2026, month: 10).interval(in: .gmt)
        #expect(start == at("2026-10-01T00:00:00Z"))
        #expect(end == at("2026-11-01T00:00:00Z"))
    }

    /// Moscow is UTC+3 all year: October 2026 is [Sep 30 21:00Z, Oct 31 21:00Z).
    @Test func intervalInMoscow() {
        let (start, end) = ReportMonth(year: 2026, month: 10).interval(in: Self.zone("Europe/Moscow"))
        #expect(start == at("2026-09-30T21:00:00Z"))
        #expect(end == at("2026-10-31T21:00:00Z"))
    }

    /// New York leaves DST on Sun Nov 1 2026 at 02:00, after midnight: November starts at 00:00 EDT
    /// (04:00Z) and ends at 00:00 EST on Dec 1 (05:00Z): 30 days and 1 hour.
    @Test func intervalInNewYorkAcrossDST() {
        let newYork = Self.zone("America/New_York")
        let (start, end) = ReportMonth(year: 2026, month: 11).interval(in: newYork)
        #expect(start == at("2026-11-01T04:00:00Z"))
        #expect(end == at("2026-12-01T05:00:00Z"))
        #expect(end.timeIntervalSince(start) == 30 * 86_400 + 3_600)
        // March 2026 (DST from Mar 8) is an hour short of 31 days.
        let (marchStart, marchEnd) = ReportMonth(year: 2026, month: 3).interval(in: newYork)
        #expect(marchStart == at("2026-03-01T05:00:00Z"))
        #expect(marchEnd == at("2026-04-01T04:00:00Z"))
    }

    /// India is UTC+5:30: a half-hour offset.
    @Test func intervalInKolkata() {
        let (start, end) = ReportMonth(year: 2027, month: 1).interval(in: Self.zone("Asia/Kolkata"))
        #expect(start == at("2026-12-31T18:30:00Z"))
        #expect(end == at("2027-01-31T18:30:00Z"))
    }

    /// Consecutive months tile time: each month ends where the next one starts.
    @Test(arguments: ["UTC", "Europe/Moscow", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
    func monthsTile(zoneID: String) {
        let zone = Self.zone(zoneID)
        var month = ReportMonth(year: 2025, month: 11)
        for _ in 0..<26 {
            let (start, end) = month.interval(in: zone)
            #expect(start < end)
            #expect(end == month.next.start(in: zone), "\(month) in \(zoneID)")
            #expect(ReportMonth.containing(start, in: zone) == month)
            #expect(ReportMonth.containing(end.addingTimeInterval(-1), in: zone) == month)
            month = month.next
        }
    }

    // MARK: previous / next / ordering

    @Test(arguments: [
        (ReportMonth(year: 2026, month: 1), ReportMonth(year: 2025, month: 12), ReportMonth(year: 2026, month: 2)),
        (ReportMonth(year: 2026, month: 12), ReportMonth(year: 2026, month: 11), ReportMonth(year: 2027, month: 1)),
        (ReportMonth(year: 2026, month: 6), ReportMonth(year: 2026, month: 5), ReportMonth(year: 2026, month: 7)),
    ])
    func previousAndNext(month: ReportMonth, previous: ReportMonth, next: ReportMonth) {
        #expect(month.previous == previous)
        #expect(month.next == next)
        #expect(month.previous.next == month)
        #expect(month.next.previous == month)
        #expect(previous < month && month < next)
    }

    @Test func orderingIsByYearThenMonth() {
        #expect(ReportMonth(year: 2025, month: 12) < ReportMonth(year: 2026, month: 1))
        #expect(!(ReportMonth(year: 2026, month: 2) < ReportMonth(year: 2026, month: 2)))
        #expect(ReportMonth(year: 2026, month: 9) < ReportMonth(year: 2026, month: 10))
    }

    // MARK: lastComplete(at:in:)

    /// The default report month: the last month fully over at `now`, read in the zone.
    @Test(arguments: [
        ("2026-11-25T12:00:00Z", "UTC", "2026-10"),
        ("2026-11-01T00:00:00Z", "UTC", "2026-10"),  // October has just ended
        ("2026-10-31T23:59:59Z", "UTC", "2026-09"),  // October still running
        ("2026-10-31T22:00:00Z", "UTC", "2026-09"),
        ("2026-10-31T22:00:00Z", "Europe/Moscow", "2026-10"),  // already Nov 1 01:00 in Moscow
        ("2026-10-31T20:59:59Z", "Europe/Moscow", "2026-09"),  // Oct 31 23:59:59 in Moscow
        ("2026-10-31T21:00:00Z", "Europe/Moscow", "2026-10"),  // Nov 1 00:00 in Moscow
        ("2026-11-01T03:00:00Z", "America/New_York", "2026-09"),  // Oct 31 23:00 EDT
        ("2026-11-01T04:00:00Z", "America/New_York", "2026-10"),  // Nov 1 00:00 EDT
        ("2027-01-01T00:00:00Z", "UTC", "2026-12"),  // across the year end
        ("2027-01-01T00:00:00Z", "America/New_York", "2026-11"),  // still Dec 31 19:00 EST
    ])
    func lastComplete(now: String, zoneID: String, expected: String) throws {
        let zone = try parseTimeZone(zoneID)
        #expect(ReportMonth.lastComplete(at: at(now), in: zone).description == expected)
    }

    // MARK: parseTimeZone

    @Test(arguments: [
        ("UTC", 0), ("utc", 0), ("Z", 0), (" UTC ", 0),
        ("Europe/Moscow", 3 * 3_600), ("Asia/Kolkata", 5 * 3_600 + 1_800), ("Australia/Adelaide", 10 * 3_600 + 1_800),
    ])
    func parsesGoodTimeZones(text: String, offsetInJanuary2026: Int) throws {
        let zone = try parseTimeZone(text)
        #expect(zone.secondsFromGMT(for: at("2026-01-15T12:00:00Z")) == offsetInJanuary2026)
    }

    @Test func parsedZoneKeepsItsIdentifier() throws {
        #expect(try parseTimeZone("Europe/Moscow").identifier == "Europe/Moscow")
        #expect(try parseTimeZone("America/New_York").identifier == "America/New_York")
    }

    @Test(arguments: ["Mars/Olympus", "GMT+3", "", " ", "Moscow", "Europe/", "+03:00", "Europe/Atlantis"])
    func refusesBadTimeZonesNamingTheField(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try parseTimeZone(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "tz")
        #expect(thrown { () throws(PledgerError) in try parseTimeZone(text, field: "zone") }?.field == "zone")
    }
}
