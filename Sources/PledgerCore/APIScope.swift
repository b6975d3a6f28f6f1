import Foundation

/// What an API token may do. A write scope implies reading the same things.
public enum APIScope: String, Sendable, CaseIterable, Codable, Comparable {
    case pledgesRead = "pledges:read"
    case pledgesWrite = "pledges:write"
    case remindersRead = "reminders:read"
    case remindersWrite = "reminders:write"
    case reportsRead = "reports:read"
    case webhooksRead = "webhooks:read"
    /// Manage the endpoints that receive events (their list included: there is no read-only scope).
    case endpointsWrite = "endpoints:write"
    /// Make supporters' own links (`POST /v1/supporters/link`), which the mailer then sends.
    case supportersWrite = "supporters:write"

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
