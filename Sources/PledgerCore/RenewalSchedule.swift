import Foundation

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
