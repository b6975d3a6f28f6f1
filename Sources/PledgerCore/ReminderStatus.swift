import Foundation

/// Where a reminder stands.
public enum ReminderStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its due time, or due and not yet acknowledged by the sender.
    case open
    /// Handed to the sender and acknowledged.
    case sent
    /// The supporter pledged; kept for the conversion figures.
    case converted
}
