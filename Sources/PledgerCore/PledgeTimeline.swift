import Foundation

/// What the MRR rules read of one pledge: its kind, when it was first paid and cancelled, every
/// amount it had and every status move, each with the instant and the order it was recorded in.
///
/// These are the rules the report's SQL applies for speed (the store's twin queries are held
/// equal to them by a test over generated histories):
/// - a pledge counts towards MRR at an instant when it is recurring, was first paid before it, was
///   not cancelled before it and was not paused then (paused before it and not resumed before it);
/// - it counts at the amount in force just before the instant, weighed by ``Cadence/mrrWeight`` of
///   the cadence in force with it (a recurring pledge can move between monthly and annual);
/// - it is past due at an instant when it counts then and its latest status move before it was
///   to `past_due`.
public struct PledgeTimeline: Sendable, Equatable {
    /// An amount and cadence the pledge had from `at` on: those it was created with, or a later
    /// change of either.
    public struct AmountEvent: Sendable, Equatable {
        public var at: Date
        /// The order of recording, which decides between events of the same instant.
        public var sequence: Int64
        public var amount: Int64
        /// The cadence in force from `at` on; nil: the timeline's ``PledgeTimeline/cadence``.
        public var cadence: Cadence?
        /// Whether this is the amount the pledge was created with.
        public var isCreation: Bool

        public init(at: Date, sequence: Int64, amount: Int64, cadence: Cadence? = nil, isCreation: Bool = false) {
            self.at = at
            self.sequence = sequence
            self.amount = amount
            self.cadence = cadence
            self.isCreation = isCreation
        }
    }

    /// A move of the pledge's status at `at`.
    public struct StatusMove: Sendable, Equatable {
        public var at: Date
        /// The order of recording, which decides between moves of the same instant.
        public var sequence: Int64
        public var to: PledgeStatus

        public init(at: Date, sequence: Int64, to: PledgeStatus) {
            self.at = at
            self.sequence = sequence
            self.to = to
        }
    }

    /// A pause: the pledge stops counting just after `start` and counts again just after `end`
    /// (nil while it is still paused; a pledge cancelled while paused ends its pause at the
    /// cancellation, which counts the same, since it never counts again).
    public struct Pause: Sendable, Equatable {
        public var start: Date
        public var end: Date?

        public init(start: Date, end: Date? = nil) {
            self.start = start
            self.end = end
        }
    }

    /// What moved a pledge's MRR: a pause and a resumption are kept apart from every other
    /// change, so the report can show them beside churn and reactivation instead of as them.
    public enum ChangeKind: Sendable, Equatable {
        case other, paused, resumed
    }

    /// One change of a pledge's MRR, in twelfths of a minor unit.
    public struct Change: Sendable, Equatable {
        public var at: Date
        public var twelfths: Int64
        public var kind: ChangeKind

        public init(at: Date, twelfths: Int64, kind: ChangeKind = .other) {
            self.at = at
            self.twelfths = twelfths
            self.kind = kind
        }
    }

    public var pledgeID: String
    public var supporterID: String
    /// ISO 4217 code.
    public var currency: String
    /// The cadence now, which decides whether the pledge is recurring at all (a recurring pledge
    /// never becomes one-off); each amount event carries the cadence in force with it.
    public var cadence: Cadence
    public var firstPaidAt: Date?
    public var cancelledAt: Date?
    /// Any order; the rules sort by instant, then by sequence.
    public var amounts: [AmountEvent]
    /// Any order; the rules sort by instant, then by sequence.
    public var statusMoves: [StatusMove]
    /// Any order.
    public var pauses: [Pause]

    public init(
        pledgeID: String, supporterID: String, currency: String, cadence: Cadence, firstPaidAt: Date? = nil,
        cancelledAt: Date? = nil, amounts: [AmountEvent], statusMoves: [StatusMove] = [], pauses: [Pause] = []
    ) {
        self.pledgeID = pledgeID
        self.supporterID = supporterID
        self.currency = currency
        self.cadence = cadence
        self.firstPaidAt = firstPaidAt
        self.cancelledAt = cancelledAt
        self.amounts = amounts
        self.statusMoves = statusMoves
        self.pauses = pauses
    }

    /// Whether the pledge counts towards MRR at `instant`: recurring, first paid before it, not
    /// cancelled before it (a pledge cancelled at the very instant still counts then) and not paused then.
    public func counts(at instant: Date) -> Bool {
        guard cadence.isRecurring, let firstPaidAt, firstPaidAt < instant else { return false }
        guard !isPaused(at: instant) else { return false }
        guard let cancelledAt else { return true }
        return cancelledAt >= instant
    }

    /// Whether the pledge counts just after `instant`: first paid at or before it, cancelled after
    /// it (or never) and not paused just after it.
    func counts(justAfter instant: Date) -> Bool {
        guard cadence.isRecurring, let firstPaidAt, firstPaidAt <= instant else { return false }
        guard !isPaused(justAfter: instant) else { return false }
        return cancelledAt.map { $0 > instant } ?? true
    }

    /// Paused at `instant`: a pause began before it and had not ended before it.
    public func isPaused(at instant: Date) -> Bool {
        pauses.contains { $0.start < instant && $0.end.map { instant <= $0 } ?? true }
    }

    /// Paused just after `instant`: a pause began at or before it and ends after it.
    func isPaused(justAfter instant: Date) -> Bool {
        pauses.contains { $0.start <= instant && $0.end.map { instant < $0 } ?? true }
    }

    /// The amount in force just before `instant`: the latest amount event before it, else the
    /// amount the pledge was created with.
    public func amount(before instant: Date) -> Int64? {
        event { $0.at < instant }?.amount
    }

    /// The amount in force just after `instant`: the latest amount event at or before it, else
    /// the amount the pledge was created with.
    public func amount(atOrBefore instant: Date) -> Int64? {
        event { $0.at <= instant }?.amount
    }

    /// The cadence in force just before `instant`, as ``amount(before:)`` finds the amount.
    public func cadence(before instant: Date) -> Cadence {
        event { $0.at < instant }.map(cadence(of:)) ?? cadence
    }

    /// The latest of the amount events that `included` accepts (by instant, then sequence), else
    /// the creation event.
    private func event(where included: (AmountEvent) -> Bool) -> AmountEvent? {
        let latest = amounts.filter(included).max { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
        return latest ?? amounts.first(where: \.isCreation)
    }

    /// The cadence in force from `event` on.
    func cadence(of event: AmountEvent) -> Cadence { event.cadence ?? cadence }

    /// The MRR in twelfths of a minor unit of `event`: its amount weighed by its cadence.
    public func twelfths(of event: AmountEvent) throws(PledgerError) -> Int64 {
        try cadence(of: event).mrrTwelfths(amount: event.amount)
    }

    /// The pledge's MRR in twelfths of a minor unit at `instant`: zero unless it counts then.
    public func mrrTwelfths(at instant: Date) throws(PledgerError) -> Int64 {
        guard counts(at: instant), let event = event(where: { $0.at < instant }) else { return 0 }
        return try twelfths(of: event)
    }

    /// Whether the pledge is past due at `instant`: it counts towards MRR then, and its latest
    /// status move before the instant was to `past_due`.
    public func isPastDue(at instant: Date) -> Bool {
        guard counts(at: instant) else { return false }
        let latest = statusMoves.filter { $0.at < instant }.max { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
        return latest?.to == .pastDue
    }

    /// Every instant at which the pledge's MRR changes and by how many twelfths, earliest first:
    /// its first payment (+ the twelfths then), each later change of amount or cadence while it
    /// counts (+ the twelfths after − the twelfths before), its cancellation (− the twelfths then),
    /// each pause (− the twelfths then, kind `paused`) and each resumption (+ the twelfths then,
    /// kind `resumed`). The MRR just after an instant is the sum of the changes at or before it; a
    /// change of zero is kept, since it still marks the supporter as moving. The store's SQL has
    /// one branch per kind of change, with the same conditions.
    public func mrrChanges() throws(PledgerError) -> [Change] {
        guard cadence.isRecurring, let firstPaidAt else { return [] }
        var changes: [Change] = []
        let ordered = amounts.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
        let notCancelledBy = { (instant: Date) in self.cancelledAt.map { $0 > instant } ?? true }
        // A pledge cancelled no later than its first payment never counted.
        if counts(justAfter: firstPaidAt), let event = event(where: { $0.at <= firstPaidAt }) {
            changes.append(Change(at: firstPaidAt, twelfths: try twelfths(of: event)))
        }
        for (index, event) in ordered.enumerated() where !event.isCreation {
            // Counts both at and just after the change: not in any pause (that is not empty) from
            // its start to its end, both included.
            let paused = pauses.contains { pause in
                let end = pause.end ?? .distantFuture
                return end > pause.start && pause.start <= event.at && event.at <= end
            }
            guard firstPaidAt < event.at, notCancelledBy(event.at), !paused else { continue }
            guard let previous = index > 0 ? ordered[index - 1] : amounts.first(where: \.isCreation) else { continue }
            let (difference, overflow) = try twelfths(of: event).subtractingReportingOverflow(twelfths(of: previous))
            guard !overflow else { throw Self.overflow(currency) }
            changes.append(Change(at: event.at, twelfths: difference))
        }
        if let cancelledAt, firstPaidAt < cancelledAt, !isPaused(at: cancelledAt),
            let event = event(where: { $0.at < cancelledAt })
        {
            changes.append(Change(at: cancelledAt, twelfths: -(try twelfths(of: event))))
        }
        // A pause that ended the instant it began (a resumption dated before it, or a pause and a
        // resumption at one instant) is empty: the pledge never stopped counting, so it moves nothing.
        for pause in pauses where pause.end != pause.start {
            if firstPaidAt < pause.start, notCancelledBy(pause.start), !isPaused(at: pause.start),
                let event = event(where: { $0.at < pause.start })
            {
                changes.append(Change(at: pause.start, twelfths: -(try twelfths(of: event)), kind: .paused))
            }
            if let end = pause.end, firstPaidAt < end, notCancelledBy(end), !isPaused(justAfter: end),
                let event = event(where: { $0.at <= end })
            {
                changes.append(Change(at: end, twelfths: try twelfths(of: event), kind: .resumed))
            }
        }
        return changes.sorted { $0.at < $1.at }
    }

    /// The pledge's change of MRR over `interval` (`[start, end)`), and how much of it was pauses
    /// (a magnitude) and resumptions; nil when its MRR did not move in it. A pause counts as
    /// paused only up to what the pledge had at the interval's start plus what resumed in it: MRR
    /// gained and then paused within the interval moved nothing the interval can show as a pause
    /// (the rest of that pause is netted with the gain it undoes).
    public func change(in interval: (start: Date, end: Date)) throws(PledgerError) -> (
        twelfths: Int64, paused: Int64, resumed: Int64
    )? {
        var sum: (twelfths: Int64, paused: Int64, resumed: Int64)?
        for change in try mrrChanges() where interval.start <= change.at && change.at < interval.end {
            var total = sum ?? (0, 0, 0)
            total.twelfths = try Self.add(total.twelfths, change.twelfths, currency)
            switch change.kind {
            case .paused: total.paused = try Self.add(total.paused, -change.twelfths, currency)
            case .resumed: total.resumed = try Self.add(total.resumed, change.twelfths, currency)
            case .other: break
            }
            sum = total
        }
        guard var sum else { return nil }
        if sum.paused != 0 {
            let held = try Self.add(try mrrTwelfths(at: interval.start), sum.resumed, currency)
            sum.paused = min(sum.paused, held)
        }
        return sum
    }

    private static func add(_ a: Int64, _ b: Int64, _ currency: String) throws(PledgerError) -> Int64 {
        let (sum, wrapped) = a.addingReportingOverflow(b)
        guard !wrapped else { throw overflow(currency) }
        return sum
    }

    private static func overflow(_ currency: String) -> PledgerError {
        PledgerError(
            .refused, code: "amount_overflow", message: "MRR in \(currency) exceeds the largest amount Pledger can hold"
        )
    }
}
