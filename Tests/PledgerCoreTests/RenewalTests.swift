import Foundation
import Testing

@testable import PledgerCore

/// `RenewalSchedule` and `Pledge.nextDue(after:)`: DESIGN "The domain", renewals.
@Suite("Renewal schedule")
struct RenewalTests {

    // MARK: Helpers

    static func monthly(_ iso: String, _ zone: TimeZone = .gmt) -> RenewalSchedule {
        RenewalSchedule(start: at(iso), cadence: .monthly, timeZone: zone)
    }

    static func annual(_ iso: String) -> RenewalSchedule {
        RenewalSchedule(start: at(iso), cadence: .annual)
    }

    /// Days in a Gregorian month, worked out without `Calendar`.
    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 4, 6, 9, 11: return 30
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        default: return 31
        }
    }

    /// The expected monthly renewal `n` of a start on `day` of `year`-`month`, at `time` UTC.
    static func expectedMonthly(year: Int, month: Int, day: Int, time: String, n: Int) -> Date {
        let index = (month - 1) + n
        let y = year + index / 12
        let m = index % 12 + 1
        let d = min(day, daysIn(year: y, month: m))
        return at(String(format: "%04d-%02d-%02dT%@Z", y, m, d, time))
    }

    // MARK: Monthly from the 31st

    /// Jan 31 → Feb 28 (2027, common) / Feb 29 (2028, leap) → Mar 31 → Apr 30.
    @Test(arguments: [
        (0, "2027-01-31T10:00:00Z"),
        (1, "2027-02-28T10:00:00Z"),
        (2, "2027-03-31T10:00:00Z"),
        (3, "2027-04-30T10:00:00Z"),
        (4, "2027-05-31T10:00:00Z"),
        (5, "2027-06-30T10:00:00Z"),
        (11, "2027-12-31T10:00:00Z"),
        (12, "2028-01-31T10:00:00Z"),
        (13, "2028-02-29T10:00:00Z"),
        (14, "2028-03-31T10:00:00Z"),
        (15, "2028-04-30T10:00:00Z"),
        (25, "2029-02-28T10:00:00Z"),
        (26, "2029-03-31T10:00:00Z"),
    ])
    func monthlyFromJan31(n: Int, expected: String) {
        let schedule = Self.monthly("2027-01-31T10:00:00Z")
        #expect(schedule.renewal(n) == at(expected))
    }

    /// Every renewal over 2025–2029 is the start day clamped to the month's end, computed from the
    /// start: a renewal after a short month goes back to the 31st (no drift to the 28th).
    @Test(arguments: [31, 30, 29, 28, 1])
    func monthlyOverFiveYearsNeverDrifts(day: Int) throws {
        let time = "08:15:42"
        let schedule = Self.monthly(String(format: "2025-01-%02dT%@Z", day, time))
        for n in 0..<60 {
            let renewal = try #require(schedule.renewal(n))
            let expected = Self.expectedMonthly(year: 2025, month: 1, day: day, time: time, n: n)
            #expect(renewal == expected, "renewal(\(n)) from Jan \(day) 2025")
        }
    }

    /// The months after a clamped February are back on the start day, for the 30th and 29th too.
    @Test(arguments: [
        ("2027-01-30T00:00:00Z", 1, "2027-02-28T00:00:00Z"),
        ("2027-01-30T00:00:00Z", 2, "2027-03-30T00:00:00Z"),
        ("2027-01-30T00:00:00Z", 3, "2027-04-30T00:00:00Z"),
        ("2028-01-30T00:00:00Z", 1, "2028-02-29T00:00:00Z"),
        ("2028-01-30T00:00:00Z", 2, "2028-03-30T00:00:00Z"),
        ("2027-01-29T00:00:00Z", 1, "2027-02-28T00:00:00Z"),
        ("2027-01-29T00:00:00Z", 2, "2027-03-29T00:00:00Z"),
        ("2028-01-29T00:00:00Z", 1, "2028-02-29T00:00:00Z"),
        ("2028-01-29T00:00:00Z", 2, "2028-03-29T00:00:00Z"),
        ("2027-03-31T00:00:00Z", 1, "2027-04-30T00:00:00Z"),
        ("2027-03-31T00:00:00Z", 2, "2027-05-31T00:00:00Z"),
        ("2027-08-31T00:00:00Z", 6, "2028-02-29T00:00:00Z"),
    ])
    func monthlyFrom30thAnd29th(start: String, n: Int, expected: String) {
        #expect(Self.monthly(start).renewal(n) == at(expected))
    }

    // MARK: Annual

    /// Feb 29 2028 → Feb 28 2029, 2030, 2031 → Feb 29 2032 (from the start, not from Feb 28).
    @Test(arguments: [
        (0, "2028-02-29T12:00:00Z"),
        (1, "2029-02-28T12:00:00Z"),
        (2, "2030-02-28T12:00:00Z"),
        (3, "2031-02-28T12:00:00Z"),
        (4, "2032-02-29T12:00:00Z"),
        (5, "2033-02-28T12:00:00Z"),
        (8, "2036-02-29T12:00:00Z"),
    ])
    func annualFromFeb29(n: Int, expected: String) {
        #expect(Self.annual("2028-02-29T12:00:00Z").renewal(n) == at(expected))
    }

    /// Mar 1 stays Mar 1 across a leap year; Feb 28 stays Feb 28 (never moves to the 29th).
    @Test(arguments: [
        ("2027-03-01T09:00:00Z", 1, "2028-03-01T09:00:00Z"),
        ("2027-03-01T09:00:00Z", 2, "2029-03-01T09:00:00Z"),
        ("2028-03-01T09:00:00Z", 4, "2032-03-01T09:00:00Z"),
        ("2027-02-28T09:00:00Z", 1, "2028-02-28T09:00:00Z"),
    ])
    func annualFromOtherDays(start: String, n: Int, expected: String) {
        #expect(Self.annual(start).renewal(n) == at(expected))
    }

    // MARK: One-off and bad indexes

    @Test func oneOffHasNoRenewals() {
        let start = at("2027-01-31T10:00:00Z")
        let schedule = RenewalSchedule(start: start, cadence: .oneOff)
        #expect(schedule.renewal(0) == start)
        #expect(schedule.renewal(1) == nil)
        #expect(schedule.renewal(12) == nil)
        #expect(schedule.nextDue(after: start) == nil)
        #expect(schedule.nextDue(after: at("2026-01-01T00:00:00Z")) == nil)
    }

    @Test(arguments: [Cadence.oneOff, .monthly, .annual])
    func negativeIndexIsNil(cadence: Cadence) {
        let schedule = RenewalSchedule(start: at("2027-01-31T10:00:00Z"), cadence: cadence)
        #expect(schedule.renewal(-1) == nil)
    }

    // MARK: Time of day and time zone

    /// The start's time of day (to the second) is kept on every renewal.
    @Test func timeOfDayIsPreserved() throws {
        let schedule = Self.monthly("2027-01-31T23:59:59Z")
        #expect(schedule.renewal(1) == at("2027-02-28T23:59:59Z"))
        #expect(schedule.renewal(13) == at("2028-02-29T23:59:59Z"))
        let annual = Self.annual("2028-02-29T00:00:01Z")
        #expect(annual.renewal(1) == at("2029-02-28T00:00:01Z"))
    }

    /// Calendar days count in the given zone: Jan 30 22:00Z is Jan 31 01:00 in Moscow, so the
    /// Moscow schedule clamps to Feb 28 01:00 MSK (Feb 27 22:00Z); the UTC one stays on Feb 28 22:00Z.
    @Test func daysCountInTheGivenTimeZone() throws {
        let moscow = try #require(TimeZone(identifier: "Europe/Moscow"))
        let start = "2027-01-30T22:00:00Z"
        #expect(Self.monthly(start, moscow).renewal(1) == at("2027-02-27T22:00:00Z"))
        #expect(Self.monthly(start, moscow).renewal(2) == at("2027-03-30T22:00:00Z"))
        #expect(Self.monthly(start).renewal(1) == at("2027-02-28T22:00:00Z"))
    }

    /// Local time of day survives a DST change: 12:00 EDT on Oct 15 renews at 12:00 EST on Nov 15.
    @Test func localTimeOfDaySurvivesDST() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let schedule = Self.monthly("2026-10-15T16:00:00Z", newYork)
        #expect(schedule.renewal(1) == at("2026-11-15T17:00:00Z"))
    }

    // MARK: nextDue(after:)

    /// Monthly from Jan 31 2027 10:00Z: the first renewal strictly after the instant.
    @Test(arguments: [
        ("2027-01-31T10:00:00Z", "2027-02-28T10:00:00Z"),  // on the start
        ("2027-02-01T00:00:00Z", "2027-02-28T10:00:00Z"),
        ("2027-02-28T09:59:59Z", "2027-02-28T10:00:00Z"),
        ("2027-02-28T10:00:00Z", "2027-03-31T10:00:00Z"),  // exactly on a renewal → the next one
        ("2027-02-28T10:00:01Z", "2027-03-31T10:00:00Z"),
        ("2027-03-30T10:00:00Z", "2027-03-31T10:00:00Z"),
        ("2027-03-31T10:00:00Z", "2027-04-30T10:00:00Z"),
        ("2028-02-15T00:00:00Z", "2028-02-29T10:00:00Z"),
        ("2028-02-29T10:00:00Z", "2028-03-31T10:00:00Z"),
        ("2029-12-31T10:00:00Z", "2030-01-31T10:00:00Z"),
        ("2029-12-31T09:00:00Z", "2029-12-31T10:00:00Z"),
    ])
    func nextDueMonthly(instant: String, expected: String) {
        let schedule = Self.monthly("2027-01-31T10:00:00Z")
        #expect(schedule.nextDue(after: at(instant)) == at(expected))
    }

    /// Annual from Feb 29 2028 12:00Z.
    @Test(arguments: [
        ("2028-02-29T12:00:00Z", "2029-02-28T12:00:00Z"),
        ("2028-03-01T00:00:00Z", "2029-02-28T12:00:00Z"),
        ("2029-02-28T11:59:59Z", "2029-02-28T12:00:00Z"),
        ("2029-02-28T12:00:00Z", "2030-02-28T12:00:00Z"),
        ("2029-03-01T00:00:00Z", "2030-02-28T12:00:00Z"),
        ("2031-03-01T00:00:00Z", "2032-02-29T12:00:00Z"),
        ("2032-02-29T11:00:00Z", "2032-02-29T12:00:00Z"),
        ("2032-02-29T12:00:00Z", "2033-02-28T12:00:00Z"),
    ])
    func nextDueAnnual(instant: String, expected: String) {
        let schedule = Self.annual("2028-02-29T12:00:00Z")
        #expect(schedule.nextDue(after: at(instant)) == at(expected))
    }

    /// `nextDue(after:)` agrees with a linear scan of `renewal(n)` for instants every 7 hours over
    /// four years, for starts on awkward days (the month arithmetic must not skip or repeat one).
    @Test(arguments: [
        (Cadence.monthly, "2027-01-31T10:00:00Z"),
        (Cadence.monthly, "2027-01-30T23:30:00Z"),
        (Cadence.monthly, "2027-03-31T00:00:00Z"),
        (Cadence.annual, "2028-02-29T12:00:00Z"),
        (Cadence.annual, "2027-03-01T00:00:00Z"),
    ])
    func nextDueMatchesLinearScan(cadence: Cadence, start: String) throws {
        let schedule = RenewalSchedule(start: at(start), cadence: cadence)
        var renewals: [Date] = []
        for n in 0..<(cadence == .monthly ? 60 : 6) {
            renewals.append(try #require(schedule.renewal(n)))
        }
        var instant = at(start)
        let stop = at(start).addingTimeInterval(4 * 365 * 86_400)
        var mismatches = 0
        while instant < stop {
            let expected = renewals.first { $0 > instant }
            if schedule.nextDue(after: instant) != expected {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record(
                        "nextDue(after: \(instant)) = \(String(describing: schedule.nextDue(after: instant))), expected \(String(describing: expected))"
                    )
                }
            }
            instant = instant.addingTimeInterval(7 * 3_600)
        }
        #expect(mismatches == 0)
    }

    // MARK: Pledge.nextDue(after:)

    static func pledge(status: PledgeStatus, cadence: Cadence = .monthly, firstPaidAt: String?) -> Pledge {
        Pledge(
            id: "pl_test", supporterID: "sp_test", email: "reader@example.org", externalRef: nil,
            cadence: cadence, amount: Money(minorUnits: 500, currency: .usd), status: status,
            source: "article-footer", processor: "stripe", processorRef: "sub_1",
            createdAt: at("2027-01-30T09:00:00Z"), firstPaidAt: firstPaidAt.map(at),
            cancelledAt: status == .cancelled ? at("2027-02-10T00:00:00Z") : nil
        )
    }

    /// A live, paid recurring pledge renews from its first payment.
    @Test(arguments: [PledgeStatus.active, .pastDue])
    func livePaidPledgeHasNextDue(status: PledgeStatus) {
        let pledge = Self.pledge(status: status, firstPaidAt: "2027-01-31T10:00:00Z")
        #expect(pledge.nextDue(after: at("2027-02-28T10:00:00Z")) == at("2027-03-31T10:00:00Z"))
    }

    /// Not live (cancelled, pending, expired) or never paid: no next due date.
    @Test(arguments: [
        (PledgeStatus.cancelled, "2027-01-31T10:00:00Z" as String?),
        (.pending, nil),
        (.expired, nil),
        (.active, nil),
        (.pastDue, nil),
    ])
    func pledgeNotLiveOrNeverPaidHasNoNextDue(status: PledgeStatus, firstPaidAt: String?) {
        let pledge = Self.pledge(status: status, firstPaidAt: firstPaidAt)
        #expect(pledge.nextDue(after: at("2027-02-01T00:00:00Z")) == nil)
    }

    /// A completed one-off pledge is never due again.
    @Test func completedOneOffHasNoNextDue() {
        let pledge = Self.pledge(status: .completed, cadence: .oneOff, firstPaidAt: "2027-01-31T10:00:00Z")
        #expect(pledge.nextDue(after: at("2027-02-01T00:00:00Z")) == nil)
    }
}
