import Foundation

/// What an API token may do. A write scope implies reading the same things.
public enum APIScope: String, Sendable, CaseIterable, Codable, Comparable {
    case pledgesRead = "pledges:read"
    case pledgesWrite = "pledges:write"
    case remindersRead = "reminders:read"
    case remindersWrite = "reminders:write"
    case reportsRead = "reports:read"
    case webhooksRead = "webhooks:read"

    /// The scopes this one grants, itself included.
    public var grants: Set<APIScope> {
        switch self {
        case .pledgesWrite: [.pledgesWrite, .pledgesRead]
        case .remindersWrite: [.remindersWrite, .remindersRead]
        default: [self]
        }
    }

    /// Parses `pledges:write,reminders:write,reports:read`; unknown or repeated scopes are refused.
    public static func parseList(_ text: String, field: String = "scope") throws(PledgerError) -> Set<APIScope> {
        var scopes: Set<APIScope> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let scope = APIScope(rawValue: name) else {
                let known = allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalid(field, "\"\(name)\" is not a scope; use some of \(known)")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw .invalid(field, "must name at least one scope") }
        return scopes
    }

    /// Whether `held` scopes allow `needed`.
    public static func allows(_ held: Set<APIScope>, _ needed: APIScope) -> Bool {
        held.contains { $0.grants.contains(needed) }
    }

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool { lhs.rawValue < rhs.rawValue }
}

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
