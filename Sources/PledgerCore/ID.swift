import Foundation

/// The identifier of one `Entity`: `ID<Pledge>` cannot be passed where an `ID<Reminder>` is
/// expected. It is the text clients see (`pl_…`), encoded in JSON as that plain string.
/// A literal (`"pl_1"`) is taken as an id, for tests and fixtures; a variable of one entity's id
/// still cannot stand for another's.
public struct ID<Entity: IdentifiedEntity>: Hashable, Sendable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The text of the id, as stored and shown.
    public let rawValue: String

    /// An id as given by a client or read from the store; its existence is the store's to check.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new id: the entity's prefix and 20 base-32 characters, roughly in creation order.
    public static func make(at now: Date = Date()) -> ID {
        ID(EntityID.make(Entity.idPrefix, at: now))
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { rawValue }
}
