import Foundation
import Testing

@testable import PledgerCore

/// Issue 12, item 7: one limit for how far ahead a reminder may be, whether asked as a delay or a time.
@Suite("Reminder horizon")
struct ReminderHorizonTests {
    let now = at("2026-11-20T12:00:00Z")

    @Test("remind_at 9999-12-31 is refused like --in 367d; 366 days ahead is accepted both ways")
    func oneLimit() throws {
        let policy = ReminderPolicy.default
        let far = try Timestamp.parse("9999-12-31T23:59:59Z", field: "remind_at")
        let error = try #require(
            thrown { () throws(PledgerError) in try policy.decide(.at(far), now: now, openDeferrals: nil) })
        #expect(error.field == "remind_at")
        #expect(error.message.contains("366 days"))
        let justOver = now.addingTimeInterval(366 * 86_400 + 1)
        #expect(throws: PledgerError.self) { try policy.decide(.at(justOver), now: now, openDeferrals: nil) }
        #expect(throws: PledgerError.self) { try ReminderDelay.parse("367d") }
        let limit = now.addingTimeInterval(366 * 86_400)
        #expect(try policy.decide(.at(limit), now: now, openDeferrals: nil) == .schedule(dueAt: limit))
        #expect(
            try policy.decide(.delay(try ReminderDelay.parse("366d")), now: now, openDeferrals: nil)
                == .schedule(dueAt: limit))
    }

    @Test("delay_days is checked by the same rule, naming the field")
    func delayDays() throws {
        #expect(try ReminderDelay.days(366, field: "delay_days") == ReminderDelay.longest)
        for days in [0, -1, 367, Int64.max] {
            let error = try #require(
                thrown { () throws(PledgerError) in try ReminderDelay.days(days, field: "delay_days") })
            #expect(error.field == "delay_days")
        }
    }
}
