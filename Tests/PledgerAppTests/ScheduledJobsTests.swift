import Foundation
import PledgerApp
import PledgerCore
import PledgerTestSupport
import Testing

/// The jobs that turn time into events, run with explicit instants: nothing sleeps.
@Suite("Scheduled jobs")
struct ScheduledJobsTests {
    static let start = instant("2026-11-01T09:00:00Z")
    let ledger: TemporaryLedger
    var app: Pledger { ledger.app }

    init() throws {
        // The clock stands after every instant the tests use: each request and run names its own time.
        ledger = try TemporaryLedger(now: instant("2029-01-01T00:00:00Z"))
    }

    func count(_ type: OutboundEventType) async throws -> Int {
        try await app.events.list(type: type, limit: 1000).count
    }

    @Test("A due reminder becomes reminder.due once; a deferral makes it due again at its new time")
    func remindersDue() async throws {
        let scheduled = try await app.reminders.schedule(
            ReminderRequest(email: "later@example.org", when: .delay(.days(3)), at: Self.start))
        #expect(try await app.jobs.run(at: instant("2026-11-04T08:59:59Z")).remindersDue == 0)
        #expect(try await app.jobs.run(at: instant("2026-11-04T09:00:00Z")).remindersDue == 1)
        #expect(try await app.jobs.run(at: instant("2026-11-04T09:00:00Z")).remindersDue == 0)
        #expect(try await app.jobs.run(at: instant("2026-11-05T00:00:00Z")).remindersDue == 0)
        let due = try await app.events.list(type: .reminderDue)
        #expect(due.count == 1)
        #expect(due[0].subjects.reminderID == scheduled.reminder.id)
        #expect(due[0].occurredAt == instant("2026-11-04T09:00:00Z"))
        #expect(try due[0].decodedData().supporter?.email == "later@example.org")

        _ = try await app.reminders.schedule(
            ReminderRequest(email: "later@example.org", when: .delay(.days(2)), at: instant("2026-11-05T00:00:00Z")))
        #expect(try await app.jobs.run(at: instant("2026-11-06T23:00:00Z")).remindersDue == 0)
        #expect(try await app.jobs.run(at: instant("2026-11-07T00:00:00Z")).remindersDue == 1)
        #expect(try await count(.reminderDue) == 2)
    }

    @Test("A converted or acknowledged reminder never comes due")
    func closedRemindersStayQuiet() async throws {
        _ = try await app.reminders.schedule(
            ReminderRequest(email: "gave@example.org", when: .delay(.days(1)), at: Self.start))
        _ = try await app.pledges.record(
            PledgeRequest(email: "gave@example.org", amount: usd("5.00"), cadence: .monthly, at: Self.start))
        let sent = try await app.reminders.schedule(
            ReminderRequest(email: "told@example.org", when: .delay(.days(1)), at: Self.start))
        _ = try await app.reminders.markSent(id: sent.reminder.id, at: Self.start)
        #expect(try await app.jobs.run(at: instant("2026-11-10T00:00:00Z")).remindersDue == 0)
    }

    @Test("renewal.upcoming goes out 7 days before an annual renewal, once; monthly is off by default")
    func renewalNotices() async throws {
        let annual = try await app.pledges.record(
            PledgeRequest(email: "annual@example.org", amount: usd("60.00"), cadence: .annual, at: Self.start))
        _ = try await app.payments.record(
            PaymentRequest(pledgeID: annual.id, amount: usd("60.00"), externalID: "pi_a", at: Self.start))
        let monthly = try await app.pledges.record(
            PledgeRequest(email: "monthly@example.org", amount: usd("5.00"), cadence: .monthly, at: Self.start))
        _ = try await app.payments.record(
            PaymentRequest(pledgeID: monthly.id, amount: usd("5.00"), externalID: "pi_m", at: Self.start))

        #expect(try await app.jobs.run(at: instant("2027-10-25T08:59:59Z")).renewalsUpcoming == 0)
        #expect(try await app.jobs.run(at: instant("2027-10-25T09:00:00Z")).renewalsUpcoming == 1)
        #expect(try await app.jobs.run(at: instant("2027-10-30T00:00:00Z")).renewalsUpcoming == 0)
        let notice = try #require(try await app.events.list(type: .renewalUpcoming).first)
        let data = try notice.decodedData()
        #expect(data.renewal?.renewsAt == "2027-11-01T09:00:00Z")
        #expect(data.renewal?.amount == 6000 && data.renewal?.daysBefore == 7)
        #expect(data.pledge?.id == annual.id.rawValue)
        // The next year's renewal gets its own notice.
        #expect(try await app.jobs.run(at: instant("2028-10-26T00:00:00Z")).renewalsUpcoming == 1)
    }

    @Test("Monthly notices when configured: PLEDGER_RENEWAL_NOTICE=monthly=3d")
    func monthlyNoticeConfigured() async throws {
        var config = PledgerConfig()
        config.schedule.renewalNotice = try SchedulePolicy.parseRenewalNotice("monthly=3d,annual=off", field: "x")
        let ledger = try TemporaryLedger(now: instant("2029-01-01T00:00:00Z"), config: config)
        let pledge = try await ledger.app.pledges.record(
            PledgeRequest(email: "m@example.org", amount: usd("5.00"), cadence: .monthly, at: Self.start))
        _ = try await ledger.app.payments.record(
            PaymentRequest(pledgeID: pledge.id, amount: usd("5.00"), externalID: "pi_m", at: Self.start))
        #expect(try await ledger.app.jobs.run(at: instant("2026-11-28T08:00:00Z")).renewalsUpcoming == 0)
        #expect(try await ledger.app.jobs.run(at: instant("2026-11-28T09:00:00Z")).renewalsUpcoming == 1)
        #expect(throws: PledgerError.self) { try SchedulePolicy.parseRenewalNotice("one_off=3d", field: "x") }
        #expect(throws: PledgerError.self) { try SchedulePolicy.parseRenewalNotice("annual=soon", field: "x") }
    }

    @Test("A pending pledge never paid within 48 hours expires, with pledge.expired; a paid one never does")
    func pendingExpiry() async throws {
        let stale = try await app.pledges.record(
            PledgeRequest(email: "maybe@example.org", amount: usd("5.00"), cadence: .monthly, at: Self.start))
        let paid = try await app.pledges.record(
            PledgeRequest(email: "paid@example.org", amount: usd("5.00"), cadence: .oneOff, at: Self.start))
        _ = try await app.payments.record(
            PaymentRequest(pledgeID: paid.id, amount: usd("5.00"), externalID: "pi_p", at: Self.start))

        #expect(try await app.jobs.run(at: instant("2026-11-03T08:59:59Z")).pledgesExpired == 0)
        #expect(try await app.jobs.run(at: instant("2026-11-03T09:00:01Z")).pledgesExpired == 1)
        #expect(try await app.jobs.run(at: instant("2026-11-04T00:00:00Z")).pledgesExpired == 0)
        #expect(try await app.pledges.pledge(id: stale.id).status == .expired)
        #expect(try await app.pledges.pledge(id: paid.id).status == .completed)
        let expired = try await app.events.list(type: .pledgeExpired)
        #expect(expired.count == 1)
        #expect(try expired[0].decodedData().pledge?.previousStatus == "pending")
    }
}
