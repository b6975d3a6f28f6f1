import Foundation

/// When the scheduled jobs turn time into events: how long before a renewal its notice goes out
/// (per cadence; annual 7 days, monthly off by default) and how long a pending pledge may wait
/// for its first payment before it expires (48 hours).
public struct SchedulePolicy: Sendable, Equatable {
    /// Notice ahead of a renewal, per recurring cadence; absent means no notice.
    public var renewalNotice: [Cadence: ReminderDelay]
    /// A pending pledge older than this expires.
    public var pendingExpiry: ReminderDelay

    public init(renewalNotice: [Cadence: ReminderDelay], pendingExpiry: ReminderDelay) {
        self.renewalNotice = renewalNotice
        self.pendingExpiry = pendingExpiry
    }

    public static let `default` = SchedulePolicy(
        renewalNotice: [.annual: .days(7)], pendingExpiry: ReminderDelay(seconds: 48 * 3600))

    /// The renewal of `pledge` that is due a notice at `now`: its next renewal, when that falls
    /// within the cadence's notice period. Nil for a pledge that is not active or whose cadence has no notice.
    public func renewalToAnnounce(_ pledge: Pledge, at now: Date) -> Date? {
        guard pledge.status == .active, let notice = renewalNotice[pledge.cadence],
            let renewal = pledge.nextDue(after: now)
        else { return nil }
        return renewal.timeIntervalSince(now) <= TimeInterval(notice.seconds) ? renewal : nil
    }

    /// Whole days of notice before a renewal of `cadence` (0 when it has none), as events state it.
    public func noticeDays(_ cadence: Cadence) -> Int {
        Int((renewalNotice[cadence]?.seconds ?? 0) / 86_400)
    }

    /// The creation time before which a pending pledge has waited too long at `now`.
    public func expiryCutoff(at now: Date) -> Date {
        now.addingTimeInterval(-TimeInterval(pendingExpiry.seconds))
    }

    /// Parses `annual=7d,monthly=off` (`PLEDGER_RENEWAL_NOTICE`): cadences not named keep no notice.
    public static func parseRenewalNotice(_ text: String, field: String) throws(PledgerError) -> [Cadence:
        ReminderDelay]
    {
        var notice: [Cadence: ReminderDelay] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let cadence = Cadence(rawValue: pair[0]), cadence.isRecurring else {
                throw .invalid(field, "\"\(part)\" is not cadence=delay; use e.g. annual=7d,monthly=3d or monthly=off")
            }
            if pair[1] != "off" { notice[cadence] = try ReminderDelay.parse(pair[1], field: field) }
        }
        return notice
    }
}
