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

/// Rules shared by the Stripe and Standard Webhooks schemes.
enum SignatureSupport {
    /// `text` without the spaces and tabs HTTP allows around values.
    static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }

    /// `range` of `bytes` without the spaces and tabs around it.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") || bytes[upper - 1] == UInt8(ascii: "\t") {
            upper -= 1
        }
        return lower..<upper
    }

    /// Unix seconds in plain decimal: digits only, no sign, no leading zero, fits `Int64`.
    ///
    /// One spelling per instant, so the text signed and the number checked agree.
    static func parseTimestamp(_ text: Substring) -> Int64? {
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard first != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        return Int64(text)
    }

    /// Throws `timestamp_out_of_tolerance` when `|now - timestamp| > tolerance`.
    static func checkTolerance(_ name: String, timestamp: Int64, now: Date, tolerance: Int) throws(SignatureError) {
        // Compared in Double so a fractional `now` is judged exactly and nothing overflows.
        let nowSeconds = now.timeIntervalSince1970
        let difference = nowSeconds - Double(timestamp)
        guard difference.isNaN || abs(difference) > Double(tolerance) else { return }
        // Round `now` away from the timestamp so the reported distance is never below the limit.
        let shown = difference > 0 ? nowSeconds.rounded(.up) : nowSeconds.rounded(.down)
        let nowWhole = shown.isFinite ? Int64(exactly: shown.clamped(to: -9.0e18...9.0e18)) ?? 0 : 0
        throw .timestampOutOfTolerance(name, timestamp: timestamp, now: nowWhole, tolerance: tolerance)
    }

    /// Throws `bad_secret` for a secret that is empty, blank, or padded with whitespace.
    static func checkSecretText(_ secret: String, index: Int, of count: Int) throws(SignatureError) {
        if secret.isEmpty {
            throw .badSecret(index: index, of: count, reason: "it is empty.")
        }
        if secret.allSatisfy(\.isWhitespace) {
            throw .badSecret(index: index, of: count, reason: "it is blank.")
        }
        if secret.first!.isWhitespace || secret.last!.isWhitespace {
            throw .badSecret(
                index: index, of: count, reason: "it has leading or trailing whitespace (a stray newline?).")
        }
    }

    /// Why a header yielded no usable v1 signature, without quoting it.
    static func noUsableV1Reason(v1Count: Int, otherCount: Int, wellFormed: String) -> String {
        if v1Count == 0 {
            return
                "it carries no v1 signature (\(otherCount) entr\(otherCount == 1 ? "y" : "ies") of other schemes ignored)."
        }
        return "none of its \(v1Count) v1 signature(s) is \(wellFormed)."
    }

    /// Whether any received signature equals any expected one.
    ///
    /// Every pair is compared, without stopping at the first match, so the time taken
    /// does not tell which secret or which position matched.
    static func anyMatch(expected: [[UInt8]], received: [[UInt8]]) -> Bool {
        var matched = false
        for mac in expected {
            for signature in received {
                let equal = HMACSHA256.constantTimeEqual(mac, signature)
                matched = matched || equal
            }
        }
        return matched
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
