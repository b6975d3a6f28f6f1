import Foundation
import PledgerCore

/// Verifies (and, for tests and replays, produces) Stripe's `Stripe-Signature` header.
///
/// Header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. The signed payload is
/// `"<t>.<raw body>"`, the HMAC-SHA256 key is the endpoint secret's UTF-8 bytes as
/// given (`whsec_…` included, nothing decoded), and a request passes when any `v1`
/// matches any configured secret, so old and new secrets work together while one
/// is rotated out.
///
/// Reading rules, chosen to be strict where it costs a sender nothing:
/// * parts are separated by `,`; spaces or tabs around parts, keys and values are
///   ignored; order is free; empty parts, parts without `=`, `v0` and unknown
///   schemes are ignored;
/// * `t` must appear exactly once, as a non-negative whole number of seconds in
///   plain decimal (no sign, no leading zero) that fits `Int64`;
/// * a `v1` that is not exactly 64 lower-case hex digits is skipped — Stripe only
///   sends lower case, and its own libraries compare the hex text, so an upper-case
///   spelling would not verify there either; skipping also means every one-character
///   change of a signature is refused;
/// * no usable `v1` at all (for example a header with only `v0`) is
///   `malformed_header`, not `no_matching_signature`: it is a problem with the
///   header's shape, not with secrets, and the engineer on call should see that;
/// * the timestamp is checked against the tolerance, in both directions, before
///   any HMAC is computed, so stale or replayed requests cost no hashing.
public struct StripeSignatureScheme: Sendable {
    /// The HTTP header this scheme reads.
    public static let headerName = "Stripe-Signature"

    /// The default tolerance, in seconds (Stripe's own default).
    public static let defaultTolerance = 300

    /// The largest accepted distance, in seconds, between the signed timestamp and now.
    public let tolerance: Int

    /// Each configured secret's bytes as a keyed HMAC, ready to use.
    private let keys: [HMACSHA256.Key]

    /// A scheme accepting signatures made with any of `secrets`.
    ///
    /// Throws `bad_secret` for an empty list, or for a secret that is empty, blank or
    /// has leading or trailing whitespace (a stray newline from a file would otherwise
    /// silently make every signature fail); throws `bad_tolerance` unless
    /// `tolerance` > 0.
    public init(secrets: [String], tolerance: Int = StripeSignatureScheme.defaultTolerance) throws(SignatureError) {
        guard !secrets.isEmpty else { throw .noSecrets() }
        for (index, secret) in secrets.enumerated() {
            try SignatureSupport.checkSecretText(secret, index: index, of: secrets.count)
        }
        guard tolerance > 0 else { throw .badTolerance(tolerance) }
        self.keys = secrets.map { HMACSHA256.Key(Array($0.utf8)) }
        self.tolerance = tolerance
    }

    /// Verifies `header` (the `Stripe-Signature` value, `nil` when absent) for the raw
    /// `body` at the instant `now`, and returns the signed timestamp.
    public func verify(header: String?, body: [UInt8], now: Date) throws(SignatureError) -> Int64 {
        let name = Self.headerName
        guard let header else { throw .missingHeader(name) }

        // Read as bytes: splitting the String by Characters cost as much as the HMAC itself.
        // Every separator and digit is ASCII, so nothing a Character reading would accept is lost.
        let bytes = Array(header.utf8)
        var timestampText: Substring?
        var signatures: [[UInt8]] = []
        var v1Count = 0
        var otherCount = 0
        var partStart = 0
        while partStart <= bytes.count {
            let partEnd = bytes[partStart...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
            defer { partStart = partEnd + 1 }
            let part = SignatureSupport.trimmed(bytes, partStart..<partEnd)
            guard !part.isEmpty, let equals = bytes[part].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = SignatureSupport.trimmed(bytes, part.lowerBound..<equals)
            let value = SignatureSupport.trimmed(bytes, (equals + 1)..<part.upperBound)
            if key.count == 1, bytes[key.lowerBound] == UInt8(ascii: "t") {
                guard timestampText == nil else {
                    throw .malformedHeader(name, reason: "it carries more than one t= timestamp.")
                }
                timestampText = String(decoding: bytes[value], as: UTF8.self)[...]
            } else if key.count == 2, bytes[key.lowerBound] == UInt8(ascii: "v"),
                bytes[key.lowerBound + 1] == UInt8(ascii: "1")
            {
                v1Count += 1
                if Hex.isLowercaseHex(bytes[value], count: 2 * HMACSHA256.byteCount),
                    let decoded = Hex.decode(bytes: bytes[value])
                {
                    signatures.append(decoded)
                }
            } else {
                // v0 (Stripe's test-mode legacy scheme) and anything newer are not ours to judge.
                otherCount += 1
            }
        }

        guard let timestampText else {
            throw .malformedHeader(name, reason: "it has no t= timestamp.")
        }
        guard let timestamp = SignatureSupport.parseTimestamp(timestampText) else {
            throw .malformedHeader(name, reason: "t= is not a non-negative whole number of seconds.")
        }
        guard !signatures.isEmpty else {
            throw .malformedHeader(
                name,
                reason: SignatureSupport.noUsableV1Reason(
                    v1Count: v1Count, otherCount: otherCount, wellFormed: "64 lower-case hex digits"))
        }
        try SignatureSupport.checkTolerance(name, timestamp: timestamp, now: now, tolerance: tolerance)

        let prefix = Self.signedPrefix(timestamp: timestamp)
        let expected = keys.map { $0.mac(prefix: prefix, body: body) }
        guard SignatureSupport.anyMatch(expected: expected, received: signatures) else {
            throw .noMatchingSignature(name, signatures: signatures.count, secrets: keys.count)
        }
        return timestamp
    }

    /// The header value `t=<timestamp>,v1=<hex>` that Stripe would send for `body`.
    ///
    /// `timestamp` must not be negative (such a header could never verify).
    public static func sign(body: [UInt8], secret: String, timestamp: Int64) -> String {
        precondition(timestamp >= 0, "a Stripe signature timestamp cannot be negative")
        let mac = HMACSHA256.mac(key: Array(secret.utf8), prefix: signedPrefix(timestamp: timestamp), body: body)
        return "t=\(timestamp),v1=\(Hex.encode(mac))"
    }

    /// What precedes the raw body in the signed payload `"<t>.<body>"`.
    private static func signedPrefix(timestamp: Int64) -> [UInt8] {
        Array("\(timestamp).".utf8)
    }
}
