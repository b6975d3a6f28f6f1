/// Why a webhook signature was refused, or why a scheme could not be configured.
///
/// Modelled on async-http-client's errors: a struct with a stable string `code`
/// to branch on and static constructors, so new cases can be added without
/// breaking anyone's `switch`. Match on `code` (see ``Code``), not on `message`.
///
/// The message is for the engineer on call. It may say which header was at fault,
/// how many signatures were present and how many secrets were tried; it never
/// holds a secret, a key, or an expected or computed signature, because it ends
/// up in logs and, in part, in HTTP responses.
public struct SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stable codes carried in ``code``.
    public enum Code {
        /// A required header is absent. ``SignatureError/header`` names it.
        public static let missingHeader = "missing_header"
        /// A header is present but cannot be read (no timestamp, no usable `v1`, …).
        public static let malformedHeader = "malformed_header"
        /// The signed timestamp is further from now than the tolerance, either way.
        public static let timestampOutOfTolerance = "timestamp_out_of_tolerance"
        /// Signatures were read, but none matches any configured secret.
        public static let noMatchingSignature = "no_matching_signature"
        /// A configured secret is empty, padded with whitespace or undecodable.
        public static let badSecret = "bad_secret"
        /// The configured tolerance is not a positive number of seconds.
        public static let badTolerance = "bad_tolerance"
    }

    /// A stable machine-readable code, one of ``Code``.
    public let code: String
    /// The header at fault (`Stripe-Signature`, `webhook-timestamp`…), when there is one.
    public let header: String?
    /// One or two sentences for a person; never holds secret material.
    public let message: String

    /// A new error; prefer the static constructors.
    public init(code: String, header: String?, message: String) {
        self.code = code
        self.header = header
        self.message = message
    }

    public var description: String {
        if let header { return "\(code) (\(header)): \(message)" }
        return "\(code): \(message)"
    }

    /// The request lacks the header `name`.
    public static func missingHeader(_ name: String) -> SignatureError {
        SignatureError(code: Code.missingHeader, header: name, message: "The \(name) header is missing.")
    }

    /// The header `name` is present but unreadable; `reason` must not quote secret material.
    public static func malformedHeader(_ name: String, reason: String) -> SignatureError {
        SignatureError(code: Code.malformedHeader, header: name, message: "The \(name) header is malformed: \(reason)")
    }

    /// The signed `timestamp` is more than `tolerance` seconds from `now` (both Unix seconds).
    public static func timestampOutOfTolerance(
        _ name: String, timestamp: Int64, now: Int64, tolerance: Int
    ) -> SignatureError {
        // The timestamp is public (it travels in clear); showing it helps spot a skewed clock.
        let direction = timestamp < now ? "in the past" : "in the future"
        let distance =
            timestamp < now ? now.subtractingReportingOverflow(timestamp) : timestamp.subtractingReportingOverflow(now)
        let seconds = distance.overflow ? "more than \(Int64.max)" : "\(distance.partialValue)"
        return SignatureError(
            code: Code.timestampOutOfTolerance,
            header: name,
            message:
                "The signed timestamp \(timestamp) is \(seconds) s \(direction); at most \(tolerance) s is accepted."
        )
    }

    /// None of `signatures` well-formed signatures matched any of `secrets` secrets.
    public static func noMatchingSignature(_ name: String, signatures: Int, secrets: Int) -> SignatureError {
        SignatureError(
            code: Code.noMatchingSignature,
            header: name,
            message: "None of the \(signatures) v1 signature(s) matches any of the \(secrets) configured secret(s)."
        )
    }

    /// The secret at `index` (0-based) of `count` is unusable; `reason` must not quote it.
    public static func badSecret(index: Int, of count: Int, reason: String) -> SignatureError {
        SignatureError(
            code: Code.badSecret,
            header: nil,
            message: "Webhook secret #\(index + 1) of \(count) is unusable: \(reason)"
        )
    }

    /// No secret is configured at all.
    public static func noSecrets() -> SignatureError {
        SignatureError(
            code: Code.badSecret, header: nil, message: "No webhook secret is configured; at least one is required.")
    }

    /// The tolerance is not a positive number of seconds.
    public static func badTolerance(_ tolerance: Int) -> SignatureError {
        SignatureError(
            code: Code.badTolerance,
            header: nil,
            message: "The timestamp tolerance must be a positive number of seconds, not \(tolerance)."
        )
    }
}
