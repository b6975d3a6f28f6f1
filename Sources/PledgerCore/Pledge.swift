import Foundation

/// How often a pledge gives.
public enum Cadence: String, Sendable, CaseIterable, Codable {
    case oneOff = "one_off"
    case monthly
    case annual

    public var isRecurring: Bool { self != .oneOff }

    /// Parses `one_off`, `monthly`, `annual` (also `one-off`, `once`, `yearly` as people type them).
    public static func parse(_ text: String, field: String = "cadence") throws(PledgerError) -> Cadence {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "one_off", "one-off", "oneoff", "once": return .oneOff
        case "monthly": return .monthly
        case "annual", "yearly": return .annual
        default: throw .invalid(field, "\"\(text)\" is not a cadence; use one_off, monthly or annual")
        }
    }

    /// The ledger account its income is booked to.
    public var incomeAccount: String { "income:donations:\(rawValue)" }
}

/// Where a pledge stands. See DESIGN "The domain" for the moves.
public enum PledgeStatus: String, Sendable, CaseIterable, Codable {
    case pending, active, completed
    case pastDue = "past_due"
    case cancelled, expired

    public static func parse(_ text: String, field: String = "status") throws(PledgerError) -> PledgeStatus {
        guard let status = PledgeStatus(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let names = PledgeStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalid(field, "\"\(text)\" is not a pledge status; use one of \(names)")
        }
        return status
    }

    /// Whether a recurring pledge in this state counts towards MRR (once it has been paid).
    public var isLive: Bool { self == .active || self == .pastDue }

    /// The only moves a pledge may make; everything else is refused.
    public func canMove(to next: PledgeStatus, cadence: Cadence) -> Bool {
        switch (self, next) {
        case (.pending, .active), (.pastDue, .active): cadence.isRecurring
        case (.pending, .completed): !cadence.isRecurring
        case (.active, .pastDue): cadence.isRecurring
        case (.pending, .cancelled), (.active, .cancelled), (.pastDue, .cancelled): true
        case (.pending, .expired): true
        default: false
        }
    }

    /// Checks a move, refusing with a message that names both states.
    public func move(to next: PledgeStatus, cadence: Cadence, pledgeID: String) throws(PledgerError) -> PledgeStatus {
        guard canMove(to: next, cadence: cadence) else {
            throw PledgerError(
                .refused, code: "invalid_transition", field: "status",
                message: "pledge \(pledgeID) cannot move from \(rawValue) to \(next.rawValue)"
            )
        }
        return next
    }

    /// The state a payment leaves a pledge in, or nil when the payment does not move it
    /// (a further payment on an active or completed pledge; money on a cancelled pledge is still booked).
    public func afterPayment(cadence: Cadence) -> PledgeStatus? {
        switch self {
        case .pending: cadence.isRecurring ? .active : .completed
        case .pastDue: .active
        default: nil
        }
    }
}

/// Renewal dates: a pledge renews on its start day, clamped to the month's last day
/// (Jan 31 → Feb 28/29 → Mar 31; an annual pledge from Feb 29 renews on Feb 28 in common years).
public struct RenewalSchedule: Sendable {
    public let start: Date
    public let cadence: Cadence
    private let calendar: Calendar

    /// - Parameters:
    ///   - start: the first payment.
    ///   - timeZone: the zone whose calendar days count (UTC unless the publisher says otherwise).
    public init(start: Date, cadence: Cadence, timeZone: TimeZone = .gmt) {
        self.start = start
        self.cadence = cadence
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The `n`-th renewal (n = 0 is `start`, n = 1 the first after it); nil for n ≥ 1 of a one-off pledge.
    /// Always computed from the start, never from the previous renewal, so clamping never drifts.
    public func renewal(_ n: Int) -> Date? {
        guard n >= 0 else { return nil }
        if n == 0 { return start }
        let months: Int
        switch cadence {
        case .oneOff: return nil
        case .monthly: months = n
        case .annual: months = 12 * n
        }
        // Calendar.date(byAdding:) clamps to the last day of shorter months.
        return calendar.date(byAdding: .month, value: months, to: start)
    }

    /// The first renewal strictly after `instant`.
    public func nextDue(after instant: Date) -> Date? {
        guard cadence.isRecurring else { return nil }
        let perStep = cadence == .monthly ? 1 : 12
        let elapsed = calendar.dateComponents([.month], from: start, to: instant).month ?? 0
        // Start one step early: clamped month arithmetic can make `elapsed` overshoot by one.
        var n = max(1, elapsed / perStep - 1)
        while let date = renewal(n), date <= instant { n += 1 }
        return renewal(n)
    }
}
