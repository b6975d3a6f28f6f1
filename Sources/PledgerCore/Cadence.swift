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
