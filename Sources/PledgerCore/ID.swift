import Foundation

/// A record type with public identifiers: its prefix is defined here, once per type.
public protocol IdentifiedEntity {
    /// What an id of this type starts with, before the underscore (`pl` for `pl_…`).
    static var idPrefix: String { get }
}

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

/// A reader who pledged or asked to be reminded; the store keeps who they are
/// (`SupporterRecord`), this names their ids.
public enum Supporter: IdentifiedEntity {
    public static let idPrefix = "sp"
}

extension Pledge: IdentifiedEntity {
    public static let idPrefix = "pl"
}

extension Reminder: IdentifiedEntity {
    public static let idPrefix = "rm"
}

extension Payment: IdentifiedEntity {
    public static let idPrefix = "py"
}

extension Reversal: IdentifiedEntity {
    public static let idPrefix = "rv"
}

extension LedgerTransaction: IdentifiedEntity {
    public static let idPrefix = "tx"
}
