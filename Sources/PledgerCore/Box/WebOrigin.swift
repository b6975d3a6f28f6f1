import Foundation

/// A web origin, `scheme://host[:port]`, as a browser sends it in `Origin`: lower-case, with the
/// scheme's default port left out, so that `https://Example.org:443` and `https://example.org` are one.
public struct WebOrigin: Sendable, Hashable, CustomStringConvertible, Comparable {
    public let scheme: String
    public let host: String
    public let port: Int?

    /// Parses an origin; a path, query, user info or a scheme other than http(s) is refused,
    /// naming `field`.
    public init(_ text: String, field: String = "origin") throws(PledgerError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let reason = "\"\(text)\" is not an origin such as https://www.example.org"
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host?.lowercased(), !host.isEmpty,
            components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil, components.path.isEmpty || components.path == "/"
        else { throw .invalid(field, reason) }
        self.scheme = scheme
        self.host = host
        let defaultPort = scheme == "https" ? 443 : 80
        self.port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
    }

    /// The origin of an absolute http(s) URL (a page's address), ignoring its path and query.
    public init?(url text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host
        else { return nil }
        let origin = scheme + "://" + host + (components.port.map { ":\($0)" } ?? "")
        guard let parsed = try? WebOrigin(origin) else { return nil }
        self = parsed
    }

    public var description: String { scheme + "://" + host + (port.map { ":\($0)" } ?? "") }

    public static func < (lhs: WebOrigin, rhs: WebOrigin) -> Bool { lhs.description < rhs.description }
}

/// A key the reader's box carries in the page (`pk_…`): public by design, it names the origins
/// that may show the box and grants nothing beyond the box's own public routes.
public struct PublishableKey: Sendable, Equatable {
    public static let prefix = "pk_"

    public let key: String
    public let origins: [WebOrigin]
    public let label: String?
    public let createdAt: Date
    public let revokedAt: Date?

    public init(key: String, origins: [WebOrigin], label: String?, createdAt: Date, revokedAt: Date?) {
        self.key = key
        self.origins = origins
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// A new random key: `pk_` and 24 hexadecimal digits.
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        prefix + Hex.encode((0..<12).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Checks a key's text before any lookup: `pk_` and 8–64 letters or digits.
    public static func check(_ text: String?, field: String = "key") throws(PledgerError) -> String {
        guard let text, !text.isEmpty else { throw .invalid(field, "is required: the box's publishable key, pk_…") }
        let body = text.dropFirst(prefix.count)
        guard text.hasPrefix(prefix), (8...64).contains(body.count),
            body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw .invalid(field, "is not a publishable key (pk_ followed by letters and digits)") }
        return text
    }

    /// The origins of a new key: at least one, each parsed, no repeats.
    public static func checkOrigins(_ texts: [String], field: String = "origin") throws(PledgerError) -> [WebOrigin] {
        guard !texts.isEmpty else { throw .invalid(field, "give at least one origin, such as https://www.example.org") }
        var origins: [WebOrigin] = []
        for text in texts {
            let origin = try WebOrigin(text, field: field)
            guard !origins.contains(origin) else { throw .invalid(field, "\(origin) is given twice") }
            origins.append(origin)
        }
        return origins
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// Whether a request from `origin` may use this key: a live key, from one of its origins.
    public func allows(_ origin: WebOrigin) -> Bool { !isRevoked && origins.contains(origin) }
}
