import Foundation

/// Which events an endpoint receives: exact types (`reminder.due`), whole groups (`pledge.*`) or
/// everything (`*`), as given to `pledger endpoint add --events`.
public struct EventFilter: Sendable, Hashable, CustomStringConvertible {
    /// The patterns as given, normalised: trimmed, repeats dropped, in the order first given.
    public let patterns: [String]

    /// Parses `pledge.*,reminder.due`. A pattern that matches no known event is refused, so a typo
    /// never leaves an endpoint silently deaf.
    public init(parsing text: String, field: String = "events") throws(PledgerError) {
        var patterns: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pattern = part.trimmingCharacters(in: .whitespaces)
            guard !pattern.isEmpty else {
                throw .invalid(field, "has an empty pattern; separate types with single commas")
            }
            guard Self.matchesAny(pattern) else {
                let groups = Set(OutboundEventType.allCases.map(\.group)).sorted().map { "\($0).*" }
                throw .invalid(
                    field,
                    "\"\(pattern)\" names no event; use a type such as reminder.due, a group such as "
                        + "\(groups.joined(separator: ", ")), or *")
            }
            if !patterns.contains(pattern) { patterns.append(pattern) }
        }
        self.patterns = patterns
    }

    /// Every event.
    public static let all = try! EventFilter(parsing: "*")

    public func matches(_ type: OutboundEventType) -> Bool {
        patterns.contains { Self.pattern($0, matches: type) }
    }

    /// The types this filter lets through, in catalogue order.
    public var types: [OutboundEventType] { OutboundEventType.allCases.filter(matches) }

    public var description: String { patterns.joined(separator: ",") }

    private static func pattern(_ pattern: String, matches type: OutboundEventType) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix(".*") { return type.group == pattern.dropLast(2) }
        return type.rawValue == pattern
    }

    private static func matchesAny(_ pattern: String) -> Bool {
        OutboundEventType.allCases.contains { Self.pattern(pattern, matches: $0) }
    }
}
