import Foundation
import PledgerCore
import PledgerStore

/// What a person or the site says when a reader pledges.
public struct PledgeRequest: Sendable {
    public var email: String
    public var externalRef: String?
    public var amount: Money
    public var cadence: Cadence
    public var source: String?
    public var processor: String?
    public var processorRef: String?
    /// When it happened; nil means now.
    public var at: Date?

    public init(
        email: String, externalRef: String? = nil, amount: Money, cadence: Cadence, source: String? = nil,
        processor: String? = nil, processorRef: String? = nil, at: Date? = nil
    ) {
        self.email = email
        self.externalRef = externalRef
        self.amount = amount
        self.cadence = cadence
        self.source = source
        self.processor = processor
        self.processorRef = processorRef
        self.at = at
    }
}

extension Pledger {
    /// Records a pending pledge, creating the supporter if new, and converts their open reminders.
    public func recordPledge(_ request: PledgeRequest, commit: CommitHook<Pledge>? = nil) async throws -> Pledge {
        let email = try EmailAddress(request.email)
        let externalRef = try normaliseExternalRef(request.externalRef)
        try config.minimums.check(request.amount)
        try config.maximums.check(request.amount)
        let processor = try request.processor.map { text throws(PledgerError) in try Bookkeeping.checkProcessor(text) }
        let source = try Self.optionalLabel(request.source, field: "source")
        let processorRef = try request.processorRef.map { text throws(PledgerError) in
            try TextField.identifier(text, field: "processor_ref")
        }
        let at = try occurredAt(request.at)
        return try await store.write { session in
            let supporterID = try self.supporterID(session, email: email, externalRef: externalRef, at: at)
            let pledge = Pledge(
                id: EntityID.make("pl"), supporterID: supporterID, email: email.value, externalRef: externalRef,
                cadence: request.cadence, amount: request.amount, status: .pending, source: source,
                processor: processor, processorRef: processorRef, createdAt: at, firstPaidAt: nil,
                cancelledAt: nil)
            try session.insertPledge(pledge)
            _ = try session.convertReminders(supporterID: supporterID, pledgeID: pledge.id, at: at)
            let recorded = try session.pledge(id: pledge.id)!
            try commit?(session, recorded)
            return recorded
        }
    }

    public func pledge(id: String) async throws -> Pledge {
        try TextField.check(id, field: "id")
        guard let pledge = try await store.read({ try $0.pledge(id: id) }) else {
            throw Self.notFound("pledge", id)
        }
        return pledge
    }

    /// Pledges newest first.
    public func pledges(status: PledgeStatus? = nil, email: String? = nil, limit: Int = 100) async throws -> [Pledge] {
        try await pledges(status: status, email: email, limit: limit, after: nil).pledges
    }

    /// One page of pledges, newest first; `nextCursor` fetches the next page (nil on the last).
    public func pledges(status: PledgeStatus?, email: String?, limit: Int, after cursor: String?) async throws -> (
        pledges: [Pledge], nextCursor: String?
    ) {
        let email = try email.map { text throws(PledgerError) in try EmailAddress(text).value }
        guard (1...10_000).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 10000") }
        try TextField.check(cursor, field: "cursor")
        return try await store.read { session in
            if let cursor, try session.pledge(id: cursor) == nil {
                throw PledgerError.invalid("cursor", "\"\(cursor)\" is not a cursor this service gave out")
            }
            // One more than asked tells whether another page exists.
            let rows = try session.pledges(status: status, email: email, limit: limit + 1, after: cursor)
            let page = Array(rows.prefix(limit))
            return (page, rows.count > limit ? page.last?.id : nil)
        }
    }

    /// Cancels a pending, active or past-due pledge; MRR stops counting it from `at`.
    public func cancelPledge(id: String, at given: Date? = nil, commit: CommitHook<Pledge>? = nil) async throws
        -> Pledge
    {
        try TextField.check(id, field: "id")
        let at = try occurredAt(given)
        return try await store.write { session in
            guard let pledge = try session.pledge(id: id) else { throw Self.notFound("pledge", id) }
            let cancelled = try self.move(session, pledge, to: .cancelled, at: at)
            try commit?(session, cancelled)
            return cancelled
        }
    }

    /// Changes a recurring pledge's amount from `at` on (an upgrade or a downgrade), keeping the old one as history.
    public func changePledgeAmount(id: String, amount: Money, at given: Date? = nil) async throws -> Pledge {
        try config.minimums.check(amount)
        let at = try occurredAt(given)
        return try await store.write { session in
            guard let pledge = try session.pledge(id: id) else { throw Self.notFound("pledge", id) }
            return try self.changeAmount(session, pledge, to: amount, at: at)
        }
    }

    /// Moves a pledge to `next` inside `session` (a cancellation stops its MRR at `at`).
    func move(_ session: StoreSession, _ pledge: Pledge, to next: PledgeStatus, at: Date) throws -> Pledge {
        let next = try pledge.status.move(to: next, cadence: pledge.cadence, pledgeID: pledge.id)
        try session.movePledge(
            pledge.id, from: pledge.status, to: next, at: at, setFirstPaidAt: false, setCancelledAt: next == .cancelled)
        return try session.pledge(id: pledge.id)!
    }

    /// Changes a recurring pledge's amount inside `session`.
    func changeAmount(_ session: StoreSession, _ pledge: Pledge, to amount: Money, at: Date) throws -> Pledge {
        let id = pledge.id
        try pledge.checkAmountChange(to: amount)
        try config.maximums.check(amount)
        try session.changePledgeAmount(id, from: pledge.amount.minorUnits, to: amount.minorUnits, at: at)
        return try session.pledge(id: id)!
    }

    static func notFound(_ what: String, _ id: String) -> PledgerError {
        PledgerError(.notFound, code: "\(what)_not_found", field: nil, message: "no \(what) with id \(id)")
    }

    /// A short free-text label (source, campaign): trimmed, 1–100 characters.
    static func optionalLabel(_ text: String?, field: String) throws(PledgerError) -> String? {
        guard let text else { return nil }
        try TextField.check(text, field: field)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty when given") }
        guard trimmed.count <= 100 else { throw .invalid(field, "is longer than 100 characters") }
        return trimmed
    }
}
