import Foundation

/// How long a supporter's own link lives: 7 days unless asked, at least an hour, at most 30 days.
public enum SupporterLinkPolicy {
    public static let defaultTTL: TimeInterval = 7 * 86_400
    public static let range: ClosedRange<TimeInterval> = 3_600...(30 * 86_400)

    /// Reads `--ttl 7d` / `"ttl": "48h"`: a number of days (`d`) or hours (`h`) within ``range``.
    public static func ttl(_ text: String?, field: String = "ttl") throws(PledgerError) -> TimeInterval {
        guard let text, !text.isEmpty else { return defaultTTL }
        let delay = try ReminderDelay.parse(text, field: field)
        let seconds = TimeInterval(delay.seconds)
        guard range.contains(seconds) else { throw .invalid(field, "must be from 1h to 30d") }
        return seconds
    }
}
