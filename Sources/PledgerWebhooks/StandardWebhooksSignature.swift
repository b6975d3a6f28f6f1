import Foundation

/// Verifies (and produces) signatures of the Standard Webhooks scheme
/// (standardwebhooks.com, also Svix's).
///
/// Headers `webhook-id`, `webhook-timestamp` and `webhook-signature:
/// v1,<base64> [v1,<base64> …]`. The signed content is `"<id>.<timestamp>.<raw body>"`
/// and the HMAC-SHA256 key is the Base64-decoded part of a `whsec_<base64>` secret.
/// A request passes when any `v1` matches any configured secret (rotation).
///
/// Reading rules:
/// * a secret may be `whsec_<base64>` or the bare Base64, as the reference libraries
///   accept; the Base64 must be canonical and padded and decode to at least one byte;
/// * `webhook-timestamp` is a non-negative whole number of seconds in plain decimal
///   (spaces or tabs around it are ignored);
/// * signature entries are separated by runs of spaces; each is `<version>,<base64>`;
///   versions other than `v1` (such as the asymmetric `v1a`) are ignored, and a `v1`
///   whose value is not canonical Base64 of 32 bytes is skipped;
/// * no usable `v1` at all is `malformed_header` — the same choice as the Stripe
///   scheme (the reference libraries report it as "no matching signature"; a header
///   of the wrong shape points at the sender, not at the secrets);
/// * the timestamp is checked against the tolerance, both ways, before any HMAC.
public struct StandardWebhooksScheme: Sendable {
    /// Header carrying the message id, unique per event and stable across retries.
    public static let idHeader = "webhook-id"
    /// Header carrying the Unix timestamp of the attempt.
    public static let timestampHeader = "webhook-timestamp"
    /// Header carrying the space-separated signatures.
    public static let signatureHeader = "webhook-signature"
    /// The optional prefix of a secret.
    public static let secretPrefix = "whsec_"
    /// The default tolerance, in seconds (the reference libraries' default).
    public static let defaultTolerance = 300

    /// The largest accepted distance, in seconds, between the signed timestamp and now.
    public let tolerance: Int

    /// The decoded HMAC keys, one per configured secret, keyed once.
    private let keys: [HMACSHA256.Key]

    /// A scheme accepting signatures made with any of `secrets`.
    ///
    /// Throws `bad_secret` for an empty list or for a secret that is empty, blank,
    /// padded with whitespace or not decodable; the error never quotes the secret.
    /// Throws `bad_tolerance` unless `tolerance` > 0.
    public init(secrets: [String], tolerance: Int = StandardWebhooksScheme.defaultTolerance) throws(SignatureError) {
        guard !secrets.isEmpty else { throw .noSecrets() }
        var keys: [HMACSHA256.Key] = []
        for (index, secret) in secrets.enumerated() {
            keys.append(HMACSHA256.Key(try Self.key(from: secret, index: index, of: secrets.count)))
        }
        guard tolerance > 0 else { throw .badTolerance(tolerance) }
        self.keys = keys
        self.tolerance = tolerance
    }

    /// Verifies a delivery from its three header values (`nil` when absent) and the raw
    /// `body` at the instant `now`; returns the message id and the signed timestamp.
    public func verify(
        id: String?, timestamp: String?, signature: String?, body: [UInt8], now: Date
    ) throws(SignatureError) -> (id: String, timestamp: Int64) {
        guard let id else { throw .missingHeader(Self.idHeader) }
        guard let timestampText = timestamp else { throw .missingHeader(Self.timestampHeader) }
        guard let signature else { throw .missingHeader(Self.signatureHeader) }

        guard !id.isEmpty else {
            throw .malformedHeader(Self.idHeader, reason: "it is empty.")
        }
        guard let timestamp = SignatureSupport.parseTimestamp(SignatureSupport.trimmed(timestampText[...])) else {
            throw .malformedHeader(Self.timestampHeader, reason: "it is not a non-negative whole number of seconds.")
        }

        var signatures: [[UInt8]] = []
        var v1Count = 0
        var otherCount = 0
        for entry in signature.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard let comma = entry.firstIndex(of: ",") else {
                otherCount += 1
                continue
            }
            guard entry[..<comma] == "v1" else {
                otherCount += 1
                continue
            }
            v1Count += 1
            if let bytes = Base64.decode(entry[entry.index(after: comma)...]), bytes.count == HMACSHA256.byteCount {
                signatures.append(bytes)
            }
        }
        guard !signatures.isEmpty else {
            throw .malformedHeader(
                Self.signatureHeader,
                reason: SignatureSupport.noUsableV1Reason(
                    v1Count: v1Count, otherCount: otherCount, wellFormed: "padded Base64 of 32 bytes"))
        }
        try SignatureSupport.checkTolerance(Self.timestampHeader, timestamp: timestamp, now: now, tolerance: tolerance)

        let prefix = Self.signedPrefix(id: id, timestamp: timestamp)
        let expected = keys.map { $0.mac(prefix: prefix, body: body) }
        guard SignatureSupport.anyMatch(expected: expected, received: signatures) else {
            throw .noMatchingSignature(Self.signatureHeader, signatures: signatures.count, secrets: keys.count)
        }
        return (id, timestamp)
    }

    /// The `webhook-signature` entry `v1,<base64>` for a delivery.
    ///
    /// Throws `bad_secret` for an unusable secret and `malformed_header`
    /// (`webhook-timestamp`) for a negative timestamp.
    public static func sign(id: String, timestamp: Int64, body: [UInt8], secret: String) throws(SignatureError)
        -> String
    {
        let key = try key(from: secret, index: 0, of: 1)
        guard timestamp >= 0 else {
            throw .malformedHeader(timestampHeader, reason: "it is negative.")
        }
        let mac = HMACSHA256.mac(key: key, prefix: signedPrefix(id: id, timestamp: timestamp), body: body)
        return "v1,\(Base64.encode(mac))"
    }

    /// What precedes the raw body in the signed content `"<id>.<timestamp>.<body>"`.
    private static func signedPrefix(id: String, timestamp: Int64) -> [UInt8] {
        Array("\(id).\(timestamp).".utf8)
    }

    private static func key(from secret: String, index: Int, of count: Int) throws(SignatureError) -> [UInt8] {
        try SignatureSupport.checkSecretText(secret, index: index, of: count)
        let encoded = secret.hasPrefix(secretPrefix) ? secret.dropFirst(secretPrefix.count) : secret[...]
        guard let key = Base64.decode(encoded) else {
            throw .badSecret(index: index, of: count, reason: "it is not whsec_ followed by padded standard Base64.")
        }
        guard !key.isEmpty else {
            throw .badSecret(index: index, of: count, reason: "its key is empty.")
        }
        return key
    }
}
