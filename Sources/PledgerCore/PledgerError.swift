/// An error a person can act on: what was wrong, with which field, and why.
///
/// Every module reports refusals through this one type so the CLI and the HTTP
/// service map them in one place (exit code, status code, JSON body).
public struct PledgerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of refusal this is; decides the exit code and the HTTP status.
    public enum Kind: String, Sendable, Equatable {
        /// The input is malformed or out of range (bad usage, HTTP 422).
        case invalid
        /// A named thing does not exist (HTTP 404).
        case notFound = "not_found"
        /// The request clashes with what is already recorded (HTTP 409).
        case conflict
        /// The input is well formed but a rule of the business forbids the operation (HTTP 422).
        case refused
    }

    public let kind: Kind
    /// A stable machine-readable code, e.g. `invalid_amount`, `deferral_limit_reached`.
    public let code: String
    /// The input field at fault, when there is one (`amount`, `currency`, `email`…).
    public let field: String?
    /// One sentence for a person; never holds a secret.
    public let message: String

    public init(_ kind: Kind, code: String, field: String? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.field = field
        self.message = message
    }

    /// A malformed or out-of-range value of `field`.
    public static func invalid(_ field: String, _ message: String, code: String? = nil) -> PledgerError {
        PledgerError(.invalid, code: code ?? "invalid_\(field)", field: field, message: message)
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }
}
