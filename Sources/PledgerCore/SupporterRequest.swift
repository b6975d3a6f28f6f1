import Foundation

/// A change a supporter asked for from their own page. Pledger holds no card data and calls no
/// processor: it announces the request (`pledge.*_requested`) for the processor integration, and
/// the processor's own webhook confirms it. Until then the page shows it as requested.
public struct SupporterRequest: Sendable, Equatable, IdentifiedEntity {
    public static let idPrefix = "sr"

    /// What is asked.
    public enum Kind: Sendable, Equatable {
        /// Stop charging for 1, 2 or 3 months; the pledge resumes by itself at the end.
        case pause(months: Int)
        /// A new amount and/or cadence from the next renewal.
        case change(amount: Money?, cadence: Cadence?)
        /// Stop giving, with the reason picked and an optional note.
        case cancel(reason: CancellationReason, note: String?)
        /// End a pause early.
        case resume

        public var name: String {
            switch self {
            case .pause: "pause"
            case .change: "change"
            case .cancel: "cancel"
            case .resume: "resume"
            }
        }
    }

    public var id: ID<SupporterRequest>
    public var pledgeID: ID<Pledge>
    public var kind: Kind
    public var requestedAt: Date
    public var confirmedAt: Date?

    public init(
        id: ID<SupporterRequest>, pledgeID: ID<Pledge>, kind: Kind, requestedAt: Date, confirmedAt: Date? = nil
    ) {
        self.id = id
        self.pledgeID = pledgeID
        self.kind = kind
        self.requestedAt = requestedAt
        self.confirmedAt = confirmedAt
    }

    /// What a supporter may ask of a pledge in its state: the page offers these forms only.
    public static func allowedKinds(for pledge: Pledge) -> Set<String> {
        let open = pledge.status.isOpen
        var kinds: Set<String> = []
        if pledge.cadence.isRecurring, pledge.status == .active { kinds.insert("pause") }
        if pledge.cadence.isRecurring, pledge.status == .paused { kinds.insert("resume") }
        if pledge.cadence.isRecurring, open { kinds.insert("change") }
        if open { kinds.insert("cancel") }
        return kinds
    }

    /// Checks a request against the pledge it is about and the amount policies; the error names the field.
    public static func check(
        _ kind: Kind, pledge: Pledge, minimums: MinimumPledgePolicy, maximums: MaximumAmountPolicy
    ) throws(PledgerError) {
        let allowed = allowedKinds(for: pledge).contains(kind.name)
        switch kind {
        case .pause(let months):
            guard PausePolicy.months.contains(months) else {
                throw .invalid("months", "a pause is 1, 2 or 3 months")
            }
            guard allowed else {
                throw PledgerError(
                    .refused, code: "pause_refused", field: "pledge",
                    message: "only an active monthly or annual pledge can pause")
            }
        case .change(let amount, let cadence):
            guard amount != nil || cadence != nil else {
                throw .invalid("amount", "give a new amount, a new cadence, or both")
            }
            guard allowed else {
                throw PledgerError(
                    .refused, code: "change_refused", field: "pledge",
                    message: "only an open monthly or annual pledge changes amount or cadence")
            }
            if let cadence {
                guard cadence.isRecurring else {
                    throw .invalid("cadence", "a recurring pledge changes between monthly and annual")
                }
            }
            if let amount {
                guard amount.currency == pledge.amount.currency else {
                    throw .invalid("amount", "the pledge is in \(pledge.amount.currency.code)")
                }
                try minimums.check(amount)
                try maximums.check(amount)
            }
            if (amount ?? pledge.amount) == pledge.amount, (cadence ?? pledge.cadence) == pledge.cadence {
                throw PledgerError(
                    .refused, code: "change_unchanged", field: "amount", message: "that is the pledge as it is")
            }
        case .cancel(_, let note):
            guard allowed else {
                throw PledgerError(
                    .refused, code: "cancel_refused", field: "pledge", message: "the pledge is already over")
            }
            if let note, note.count > 500 { throw .invalid("note", "must be at most 500 characters") }
        case .resume:
            guard allowed else {
                throw PledgerError(
                    .refused, code: "resume_refused", field: "pledge", message: "only a paused pledge can resume")
            }
        }
    }
}

/// How long a pause lasts: the supporter's page offers 1, 2 or 3 months; the membership desk may
/// give any end. The pledge resumes by itself at the end unless the processor or a person resumes it first.
public enum PausePolicy {
    /// The months a supporter may pause for from their page.
    public static let months = 1...3

    /// The instant a pause of `months` calendar months from `start` ends (UTC; the 31st of a
    /// shorter month ends on its last day).
    public static func end(from start: Date, months: Int) throws(PledgerError) -> Date {
        guard Self.months.contains(months) else { throw .invalid("months", "a pause is 1, 2 or 3 months") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: months, to: start)!
    }

    /// Checks a planned end against the pause's start: it must come after it.
    public static func check(resumesAt: Date?, pausedAt: Date) throws(PledgerError) {
        if let resumesAt, resumesAt <= pausedAt {
            throw .invalid(
                "resumes_at",
                "\(Timestamp.format(resumesAt)) is not after the pause begins (\(Timestamp.format(pausedAt)))")
        }
    }
}

/// Why a supporter cancels, from the page's fixed list (counted in the monthly report).
public enum CancellationReason: String, Sendable, CaseIterable, Codable {
    case tooExpensive = "too_expensive"
    case paymentProblems = "payment_problems"
    case preferOneOff = "prefer_one_off"
    case unhappyWithCoverage = "unhappy_with_coverage"
    case other

    public static func parse(_ text: String?, field: String = "reason") throws(PledgerError) -> CancellationReason {
        guard let text, let reason = CancellationReason(rawValue: text) else {
            throw .invalid(field, "pick one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return reason
    }
}
