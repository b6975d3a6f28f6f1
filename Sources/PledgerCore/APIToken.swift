import Foundation

/// An API token as stored: its name and scopes, never the token itself (only its SHA-256).
public struct APIToken: Sendable, Equatable {
    public var name: String
    public var scopes: Set<APIScope>
    public var createdAt: Date
    public var revokedAt: Date?

    public init(name: String, scopes: Set<APIScope>, createdAt: Date, revokedAt: Date?) {
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// A token name: 1–64 of a–z, 0–9, `-`, `_`, `.`.
    public static func checkName(_ text: String, field: String = "name") throws(PledgerError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(name.count),
            name.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "-_.".contains($0) })
        else {
            throw .invalid(field, "\"\(text)\" is not a token name; use 1–64 of a–z, 0–9, '-', '_', '.'")
        }
        return name
    }
}
