import Foundation

/// A record type with public identifiers: its prefix is defined here, once per type.
public protocol IdentifiedEntity {
    /// What an id of this type starts with, before the underscore (`pl` for `pl_…`).
    static var idPrefix: String { get }
}

// Every prefix, in one place.

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

extension Endpoint: IdentifiedEntity {
    public static let idPrefix = "ep"
}

extension Delivery: IdentifiedEntity {
    public static let idPrefix = "dlv"
}
