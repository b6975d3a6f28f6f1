import Foundation

/// A reader who pledged or asked to be reminded; the store keeps who they are
/// (`SupporterRecord`), this names their ids.
public enum Supporter: IdentifiedEntity {
    public static let idPrefix = "sp"
}
