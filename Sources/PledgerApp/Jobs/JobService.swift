import Foundation
import PledgerCore
import PledgerStoreInterface

/// The jobs that turn time into events: reminders come due, renewals draw near, pending pledges
/// expire. Each is idempotent: run twice at the same time, the second run announces nothing.
public struct JobService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    let policy: SchedulePolicy
    /// Rows per transaction, so a large backlog never holds the writer for long.
    static let batch = 500

    /// Runs every job as of `at` (default now).
    public func run(at given: Date? = nil) async throws -> JobRun {
        let now = given ?? clock.now
        // Pauses first: a pledge that resumes now is due its renewal notice in this same run.
        let resumed = try await resumePaused(at: now)
        return JobRun(
            at: now, remindersDue: try await announceDueReminders(at: now),
            renewalsUpcoming: try await announceRenewals(at: now), pledgesExpired: try await expirePending(at: now),
            reminderRequestsPurged: try await purgeUnconfirmed(at: now), pledgesResumed: resumed)
    }

    /// Resumes each paused pledge whose pause has come to its planned end, dated at that end (so
    /// its MRR counts again from then even when the job runs late), with `pledge.resumed`.
    func resumePaused(at now: Date) async throws -> Int {
        var total = 0
        while true {
            let resumed = try await store.transaction { session in
                let due = try session.pledgesDueToResume(atOrBefore: now, limit: Self.batch)
                for pledge in due {
                    _ = try PledgeService.move(session, pledge, to: .active, at: pledge.resumesAt ?? now, now: now)
                }
                return due.count
            }
            total += resumed
            if resumed < Self.batch { return total }
        }
    }

    /// Deletes box "remind me later" requests never confirmed in time, e-mail included, and
    /// erases the e-mail from their events.
    func purgeUnconfirmed(at now: Date) async throws -> Int {
        var total = 0
        while true {
            let purged = try await store.transaction { session in
                let expired = try session.expiredReminderRequests(at: now, limit: Self.batch)
                for id in expired { try BoxService.forget(session, id, at: now) }
                return expired.count
            }
            total += purged
            if purged < Self.batch { return total }
        }
    }

    /// Turns each open reminder whose due time has come into `reminder.due`, once per due time
    /// (a deferred reminder comes due again at its new time).
    func announceDueReminders(at now: Date) async throws -> Int {
        var total = 0
        while true {
            let announced = try await store.transaction { session in
                let due = try session.unannouncedDueReminders(at: now, limit: Self.batch)
                for reminder in due {
                    let event = try session.appendEvent(.reminderDue(reminder), recordedAt: now)
                    try session.recordNotice(
                        job: .reminderDue, subject: reminder.id.rawValue, dueAt: reminder.dueAt, eventID: event.id)
                }
                return due.count
            }
            total += announced
            if announced < Self.batch { return total }
        }
    }

    /// Sends `renewal.upcoming` for each active pledge whose next renewal falls within its cadence's
    /// notice period, once per renewal.
    func announceRenewals(at now: Date) async throws -> Int {
        var total = 0
        for cadence in policy.renewalNotice.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            var after: ID<Pledge>?
            while true {
                let cursor = after
                let page = try await store.snapshot {
                    try $0.activePledges(cadence: cadence, after: cursor, limit: 5000)
                }
                let due = page.compactMap { pledge in
                    policy.renewalToAnnounce(pledge, at: now).map { (pledge, $0) }
                }
                if !due.isEmpty {
                    let days = policy.noticeDays(cadence)
                    total += try await store.transaction { session in
                        var announced = 0
                        for (pledge, renewal) in due
                        where try !session.hasNotice(job: .renewalUpcoming, subject: pledge.id.rawValue, dueAt: renewal)
                        {
                            let event = try session.appendEvent(
                                .renewalUpcoming(pledge, renewsAt: renewal, daysBefore: days, at: now), recordedAt: now)
                            try session.recordNotice(
                                job: .renewalUpcoming, subject: pledge.id.rawValue, dueAt: renewal, eventID: event.id)
                            announced += 1
                        }
                        return announced
                    }
                }
                guard page.count == 5000, let last = page.last else { break }
                after = last.id
            }
        }
        return total
    }

    /// Expires pending pledges never paid within the policy's window, with `pledge.expired`.
    func expirePending(at now: Date) async throws -> Int {
        let cutoff = policy.expiryCutoff(at: now)
        var total = 0
        while true {
            let expired = try await store.transaction { session in
                let stale = try session.pendingPledges(createdBefore: cutoff, limit: Self.batch)
                for pledge in stale {
                    _ = try PledgeService.move(session, pledge, to: .expired, at: now, now: now)
                }
                return stale.count
            }
            total += expired
            if expired < Self.batch { return total }
        }
    }
}

/// What one run of the jobs did.
public struct JobRun: Sendable, Equatable {
    public var at: Date
    public var remindersDue: Int
    public var renewalsUpcoming: Int
    public var pledgesExpired: Int
    /// Box reminder requests deleted unconfirmed.
    public var reminderRequestsPurged: Int = 0
    /// Paused pledges whose pause came to its planned end.
    public var pledgesResumed: Int = 0

    /// Whether the run announced or changed anything.
    public var isEmpty: Bool {
        remindersDue == 0 && renewalsUpcoming == 0 && pledgesExpired == 0 && reminderRequestsPurged == 0
            && pledgesResumed == 0
    }
}
