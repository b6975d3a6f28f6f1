import Foundation

/// Why the box's public routes refuse a caller before reading what it asks; each writes nothing.
public enum BoxRefusal: Error, Sendable, Equatable {
    /// `serve` runs without `--box`.
    case notConfigured
    /// No such publishable key, or a revoked one.
    case unknownKey
    /// The page's origin is not among the key's.
    case originNotAllowed(String)
    /// Over a rate limit; retry after this many seconds.
    case rateLimited(retryAfter: Int)

    public var code: String {
        switch self {
        case .notConfigured: "box_not_configured"
        case .unknownKey: "unknown_key"
        case .originNotAllowed: "origin_not_allowed"
        case .rateLimited: "rate_limited"
        }
    }

    public var message: String {
        switch self {
        case .notConfigured: "the box is not configured on this server (pledger serve --box FILE)"
        case .unknownKey: "the publishable key is unknown or revoked"
        case .originNotAllowed(let origin): "\(origin) is not among this key's origins"
        case .rateLimited(let seconds): "too many requests; retry in \(seconds) s"
        }
    }
}
