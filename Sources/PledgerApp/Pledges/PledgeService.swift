import Foundation
import PledgerCore
import PledgerStoreInterface

/// Pledges: recording what a reader promised, reading them back, cancelling, changing the amount.
public struct PledgeService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    let minimums: MinimumPledgePolicy
    /// The largest pledge, so that no report's sum can overflow.
    let maximums: MaximumAmountPolicy

    /// Records a pending pledge, creating the supporter if new, and converts their open reminders.
    public func record(_ request: PledgeRequest, commit: CommitHook<Pledge>? = nil) async throws -> Pledge {
        let email = try EmailAddress(request.email)
        let externalRef = try normaliseExternalRef(request.externalRef)
        try minimums.check(request.amount)
        try maximums.check(request.amount)
        let processor = try request.processor.map { text throws(PledgerError) in try Bookkeeping.checkProcessor(text) }
        let source = try normaliseLabel(request.source, field: "source")
        let processorRef = try request.processorRef.map { text throws(PledgerError) in
            try TextField.identifier(text, field: "processor_ref")
        }
        let at = try clock.instant(request.at)
        let now = clock.now
        return try await store.transaction { session in
            let supporterID = try SupporterDirectory.supporterID(
                session, email: email, externalRef: externalRef, at: at)
            let recorded = try Self.insertPending(
                session,
                Pledge(
                    id: ID<Pledge>.make(), supporterID: supporterID, email: email.value, externalRef: externalRef,
                    cadence: request.cadence, amount: request.amount, status: .pending, source: source,
                    processor: processor, processorRef: processorRef, createdAt: at, firstPaidAt: nil,
                    cancelledAt: nil),
                now: now)
            try commit?.run(session, recorded)
            return recorded
        }
    }

    /// Inserts a pending pledge inside `session`, converts its supporter's open reminders and
    /// announces it: the one path for the API, the CLI and the box.
    static func insertPending(_ session: any StoreTransaction, _ pledge: Pledge, now: Date) throws -> Pledge {
        try session.insertPledge(pledge)
        if !pledge.convertsRemindersOnPayment {
            _ = try session.convertReminders(supporterID: pledge.supporterID, pledgeID: pledge.id, at: pledge.createdAt)
        }
        let recorded = try session.pledge(id: pledge.id)!
        _ = try session.appendEvent(.pledgeCreated(recorded), recordedAt: now)
        return recorded
    }

    public func pledge(id: ID<Pledge>) async throws -> Pledge {
        try TextField.check(id.rawValue, field: "id")
        guard let pledge = try await store.snapshot({ try $0.pledge(id: id) }) else {
            throw PledgerError.notFound("pledge", id)
        }
        return pledge
    }

    /// A pledge with where it came from, when the reader's box made it.
    public func pledgeWithAttribution(id: ID<Pledge>) async throws -> (pledge: Pledge, attribution: Attribution?) {
        try TextField.check(id.rawValue, field: "id")
        return try await store.snapshot { session in
            guard let pledge = try session.pledge(id: id) else { throw PledgerError.notFound("pledge", id) }
            return (pledge, try session.attribution(pledgeID: id))
        }
    }

    /// Pledges newest first.
    public func list(status: PledgeStatus? = nil, email: String? = nil, limit: Int = 100) async throws -> [Pledge] {
        try await page(status: status, email: email, limit: limit, after: nil).pledges
    }

    /// One page of pledges, newest first; `nextCursor` fetches the next page (nil on the last).
    public func page(status: PledgeStatus?, email: String?, limit: Int, after cursor: String?) async throws -> (
        pledges: [Pledge], nextCursor: String?
    ) {
        let email = try email.map { text throws(PledgerError) in try EmailAddress(text).value }
        try PledgerError.checkLimit(limit)
        try TextField.check(cursor, field: "cursor")
        return try await store.snapshot { session in
            let after = cursor.map { ID<Pledge>($0) }
            if let cursor, let after, try session.pledge(id: after) == nil {
                throw PledgerError.invalid("cursor", "\"\(cursor)\" is not a cursor this service gave out")
            }
            // One more than asked tells whether another page exists.
            let rows = try session.pledges(status: status, email: email, limit: limit + 1, after: after)
            let page = Array(rows.prefix(limit))
            return (page, rows.count > limit ? page.last?.id.rawValue : nil)
        }
    }

    /// Cancels a pending, active, past-due or paused pledge; MRR stops counting it from `at`.
    public func cancel(id: ID<Pledge>, at given: Date? = nil, commit: CommitHook<Pledge>? = nil) async throws
        -> Pledge
    {
        try await changing(id, at: given, commit: commit) { session, pledge, at, now in
            try Self.move(session, pledge, to: .cancelled, at: at, now: now)
        }
    }

    /// Reads pledge `id` and applies `change` to it in one transaction, dated `given` (default
    /// now), running `commit` (an idempotency key's record) in the same transaction.
    private func changing(
        _ id: ID<Pledge>, at given: Date?, commit: CommitHook<Pledge>?,
        _ change: @escaping @Sendable (any StoreTransaction, Pledge, Date, Date) throws -> Pledge
    ) async throws -> Pledge {
        try TextField.check(id.rawValue, field: "id")
        let at = try clock.instant(given)
        let now = clock.now
        return try await store.transaction { session in
            guard let pledge = try session.pledge(id: id) else { throw PledgerError.notFound("pledge", id) }
            let changed = try change(session, pledge, at, now)
            try commit?.run(session, changed)
            return changed
        }
    }

    /// Pauses an active or past-due recurring pledge from `at`: its MRR stops and no renewal is
    /// announced until it resumes, by itself at `resumesAt` (when given) or when resumed.
    /// `length` is the pause's planned end: a number of months from `at` (1 to 3), or an instant.
    public func pause(
        id: ID<Pledge>, length: PauseLength?, at given: Date? = nil, commit: CommitHook<Pledge>? = nil
    ) async throws -> Pledge {
        try await changing(id, at: given, commit: commit) { session, pledge, at, now in
            let resumesAt: Date? =
                switch length {
                case .months(let months): try PausePolicy.end(from: at, months: months)
                case .until(let end): end
                case nil: nil
                }
            return try Self.pause(session, pledge, resumesAt: resumesAt, at: at, now: now)
        }
    }

    /// How long a pause is planned to last.
    public enum PauseLength: Sendable, Equatable {
        case months(Int)
        case until(Date)
    }

    /// Resumes a paused pledge from `at`: its MRR counts again from then.
    public func resume(id: ID<Pledge>, at given: Date? = nil, commit: CommitHook<Pledge>? = nil) async throws
        -> Pledge
    {
        try await changing(id, at: given, commit: commit) { session, pledge, at, now in
            guard pledge.status == .paused else {
                throw PledgerError(
                    .refused, code: "invalid_transition", field: "status",
                    message: "pledge \(id) is \(pledge.status.rawValue), not paused; only a paused pledge resumes")
            }
            return try Self.move(session, pledge, to: .active, at: at, now: now)
        }
    }

    /// Changes a recurring pledge's amount from `at` on (an upgrade or a downgrade), keeping the old one as history.
    public func changeAmount(id: ID<Pledge>, amount: Money, at given: Date? = nil) async throws -> Pledge {
        try await changeTerms(id: id, amount: amount, cadence: nil, at: given)
    }

    /// Changes a recurring pledge's amount and/or cadence (monthly ↔ annual) from `at` on, keeping
    /// the old ones as history; nil leaves that part as it is, and something must change.
    public func changeTerms(id: ID<Pledge>, amount: Money?, cadence: Cadence?, at given: Date? = nil) async throws
        -> Pledge
    {
        try TextField.check(id.rawValue, field: "id")
        guard amount != nil || cadence != nil else {
            throw PledgerError.invalid("amount", "give a new amount, a new cadence, or both")
        }
        if let amount { try minimums.check(amount) }
        let at = try clock.instant(given)
        let now = clock.now
        return try await store.transaction { session in
            guard let pledge = try session.pledge(id: id) else { throw PledgerError.notFound("pledge", id) }
            return try Self.changeTerms(
                session, pledge, to: amount ?? pledge.amount, cadence: cadence ?? pledge.cadence,
                maximums: maximums, at: at, now: now)
        }
    }

    /// Pauses a pledge inside `session` until `resumesAt` (nil: until resumed) and announces it.
    static func pause(
        _ session: any PledgeRecords & OutboxRecords & LinkRecords, _ pledge: Pledge, resumesAt: Date?, at: Date,
        now: Date
    ) throws -> Pledge {
        try PausePolicy.check(resumesAt: resumesAt, pausedAt: at)
        return try move(session, pledge, to: .paused, at: at, now: now, resumesAt: resumesAt)
    }

    /// Moves a pledge to `next` inside `session` (a cancellation stops its MRR at `at`, and so does
    /// a pause, until it resumes) and announces the move, unless `announce` is false (imported history).
    static func move(
        _ session: any PledgeRecords & OutboxRecords & LinkRecords, _ pledge: Pledge, to next: PledgeStatus, at: Date,
        now: Date, announce: Bool = true, resumesAt: Date? = nil
    ) throws -> Pledge {
        let next = try pledge.status.move(to: next, cadence: pledge.cadence, pledgeID: pledge.id)
        try session.movePledge(
            pledge.id, from: pledge.status, to: next, at: at, setFirstPaidAt: false, setCancelledAt: next == .cancelled)
        if next == .paused, let resumesAt { try session.setPledgeResumesAt(pledge.id, resumesAt) }
        // The move, whoever made it, is what a supporter's request of that kind waited for.
        let confirms: String? =
            switch (pledge.status, next) {
            case (_, .cancelled): "cancel"
            case (_, .paused): "pause"
            case (.paused, .active): "resume"
            default: nil
            }
        if let confirms {
            try session.confirmSupporterRequests(pledgeID: pledge.id, kind: confirms, at: at)
        }
        let moved = try session.pledge(id: pledge.id)!
        if announce, let event = OutboundEventDraft.pledgeMoved(moved, from: pledge.status, at: at) {
            _ = try session.appendEvent(event, recordedAt: now)
        }
        return moved
    }

    /// Changes a recurring pledge's amount and/or cadence inside `session` and announces it (one
    /// `pledge.amount_changed`, with `previous_cadence` when the cadence moved). The minimum is
    /// the caller's to check: what the processor already charges is recorded as it is.
    static func changeTerms(
        _ session: any PledgeRecords & OutboxRecords & LinkRecords, _ pledge: Pledge, to amount: Money,
        cadence: Cadence, maximums: MaximumAmountPolicy, at: Date, now: Date
    ) throws -> Pledge {
        let id = pledge.id
        try pledge.checkTermsChange(to: amount, cadence: cadence)
        try maximums.check(amount)
        try session.changePledgeTerms(
            id, from: (pledge.amount, pledge.cadence), to: (amount, cadence), at: at)
        // The change the supporter asked for is confirmed when the processor sets what it asked.
        try session.confirmChangeRequests(pledgeID: id, amount: amount, cadence: cadence, at: at)
        let changed = try session.pledge(id: id)!
        _ = try session.appendEvent(
            .pledgeAmountChanged(changed, from: pledge.amount, previousCadence: pledge.cadence, at: at),
            recordedAt: now)
        return changed
    }
}
