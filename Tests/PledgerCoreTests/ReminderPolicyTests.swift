import Foundation
import Testing

@testable import PledgerCore

/// `ReminderPolicy.decide` and `ReminderDelay.parse`: DESIGN "The domain", Reminder.
@Suite("Reminder policy")
struct ReminderPolicyTests {

    static let now = at("2026-10-14T09:30:00Z")

    // MARK: decide — a first reminder

    /// Given no open reminder, when nothing is chosen, then it is due in 7 days.
    @Test func defaultDelayIsSevenDays() throws {
        #expect(ReminderPolicy.default.defaultDelay == .days(7))
        #expect(ReminderPolicy.default.maxDeferrals == 3)
        let decision = try ReminderPolicy.default.decide(.defaultDelay, now: Self.now, openDeferrals: nil)
        #expect(decision == .schedule(dueAt: at("2026-10-21T09:30:00Z")))
    }

    @Test(arguments: [
        (ReminderDelay(seconds: 5_400), "2026-10-14T11:00:00Z"),
        (ReminderDelay(seconds: 43_200), "2026-10-14T21:30:00Z"),
        (ReminderDelay.days(3), "2026-10-17T09:30:00Z"),
        (ReminderDelay.days(14), "2026-10-28T09:30:00Z"),
    ])
    func chosenDelay(delay: ReminderDelay, expected: String) throws {
        let decision = try ReminderPolicy.default.decide(.delay(delay), now: Self.now, openDeferrals: nil)
        #expect(decision == .schedule(dueAt: at(expected)))
    }

    @Test func chosenTime() throws {
        let when = at("2026-11-02T08:00:00Z")
        let decision = try ReminderPolicy.default.decide(.at(when), now: Self.now, openDeferrals: nil)
        #expect(decision == .schedule(dueAt: when))
        // One second after now is already "after now".
        let soon = Self.now.addingTimeInterval(1)
        #expect(
            try ReminderPolicy.default.decide(.at(soon), now: Self.now, openDeferrals: nil) == .schedule(dueAt: soon))
    }

    /// A `remind_at` equal to or before now is invalid, naming `remind_at`, even for a deferral.
    @Test(arguments: ["2026-10-14T09:30:00Z", "2026-10-14T09:29:59Z", "2025-01-01T00:00:00Z"])
    func remindAtNotAfterNowIsInvalid(when: String) throws {
        for open in [nil, 0, 3] as [Int?] {
            let error = try #require(
                thrown { () throws(PledgerError) in
                    try ReminderPolicy.default.decide(.at(at(when)), now: Self.now, openDeferrals: open)
                })
            #expect(error.kind == .invalid)
            #expect(error.field == "remind_at")
            #expect(error.code == "invalid_remind_at")
        }
    }

    // MARK: decide — deferrals

    /// Given an open reminder deferred 0, 1 or 2 times, scheduling again is a deferral counting one more.
    @Test(arguments: [0, 1, 2])
    func openReminderIsDeferred(deferrals: Int) throws {
        let decision = try ReminderPolicy.default.decide(.defaultDelay, now: Self.now, openDeferrals: deferrals)
        #expect(decision == .deferral(dueAt: at("2026-10-21T09:30:00Z"), deferrals: deferrals + 1))
    }

    @Test func deferralKeepsTheChosenTime() throws {
        let when = at("2026-12-01T00:00:00Z")
        #expect(
            try ReminderPolicy.default.decide(.at(when), now: Self.now, openDeferrals: 1)
                == .deferral(dueAt: when, deferrals: 2))
    }

    /// At the default limit (3) Pledger stops asking: refused, `deferral_limit_reached`, message mentions 3.
    @Test(arguments: [3, 4, 10])
    func deferralLimitReached(deferrals: Int) throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try ReminderPolicy.default.decide(.delay(.days(1)), now: Self.now, openDeferrals: deferrals)
            })
        #expect(error.kind == .refused)
        #expect(error.code == "deferral_limit_reached")
        #expect(error.message.contains("3"))
    }

    /// A configured policy (at most 1 deferral, 2-day default) is honoured.
    @Test func configuredPolicyIsHonoured() throws {
        let policy = ReminderPolicy(defaultDelay: .days(2), maxDeferrals: 1)
        #expect(
            try policy.decide(.defaultDelay, now: Self.now, openDeferrals: nil)
                == .schedule(dueAt: at("2026-10-16T09:30:00Z")))
        #expect(
            try policy.decide(.defaultDelay, now: Self.now, openDeferrals: 0)
                == .deferral(dueAt: at("2026-10-16T09:30:00Z"), deferrals: 1))
        #expect {
            try policy.decide(.defaultDelay, now: Self.now, openDeferrals: 1)
        } throws: { error in
            guard let error = error as? PledgerError else { return false }
            return error.code == "deferral_limit_reached" && error.message.contains("(1)")
        }
    }

    /// A policy allowing no deferrals refuses any rescheduling of an open reminder.
    @Test func zeroDeferralsAllowed() throws {
        let policy = ReminderPolicy(maxDeferrals: 0)
        #expect(
            try policy.decide(.defaultDelay, now: Self.now, openDeferrals: nil)
                == .schedule(dueAt: at("2026-10-21T09:30:00Z")))
        #expect { try policy.decide(.defaultDelay, now: Self.now, openDeferrals: 0) } throws: { error in
            (error as? PledgerError)?.code == "deferral_limit_reached"
        }
    }

    // MARK: ReminderDelay.parse

    @Test(arguments: [
        ("90m", Int64(5_400)),
        ("12h", 43_200),
        ("3d", 259_200),
        ("2w", 1_209_600),
        ("1m", 60),
        ("3D", 259_200),  // lower-cased
        (" 3d", 259_200),  // surrounding spaces are trimmed
        ("3d ", 259_200),
        ("366d", 31_622_400),  // the longest allowed: 366 days
        ("52w", 31_449_600),
        ("8784h", 31_622_400),
        ("527040m", 31_622_400),
        ("007d", 604_800),
    ])
    func delayParsesGoodInput(text: String, seconds: Int64) throws {
        #expect(try ReminderDelay.parse(text).seconds == seconds)
    }

    @Test(arguments: [
        "0d", "-1d", "3", "d", "3x", "1.5d", "400d", "367d", "53w", "8785h", "527041m",
        "", " ", "3 d", "3dd", "d3", "1s", "99999999999999999999d", "٣d", "three days", "0m",
    ])
    func delayRefusesBadInputNamingTheField(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try ReminderDelay.parse(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "in")
        let custom = try #require(thrown { () throws(PledgerError) in try ReminderDelay.parse(text, field: "delay") })
        #expect(custom.field == "delay")
    }

    @Test func tooLongDelaySaysSo() throws {
        let error = try #require(thrown { () throws(PledgerError) in try ReminderDelay.parse("400d") })
        #expect(error.message.contains("longer than a year"))
    }

    /// The description is the largest whole unit, and parses back to the same delay.
    @Test(arguments: [
        (Int64(5_400), "90m"), (43_200, "12h"), (86_400, "1d"), (259_200, "3d"),
        (604_800, "1w"), (1_209_600, "2w"), (1_296_000, "15d"), (90_000, "25h"),
    ])
    func delayDescriptionRoundTrips(seconds: Int64, text: String) throws {
        let delay = ReminderDelay(seconds: seconds)
        #expect(delay.description == text)
        #expect(try ReminderDelay.parse(text) == delay)
    }
}
