import Foundation

/// A signed link's claims: what it may do (`purpose`), to which record (`subject`), until when, and
/// a nonce that revokes every outstanding link of its subject when it changes.
///
/// The token is `base64url(claims) "." base64url(HMAC-SHA256(key, claims))`; Core writes and
/// checks the claims, the caller supplies the MAC (libcrypto lives outside Core).
public struct LinkToken: Sendable, Equatable {
    /// What a link is for; a link for one purpose never serves another.
    public enum Purpose: String, Sendable, CaseIterable {
        case confirmReminder = "confirm_reminder"
        case manage
    }

    public var purpose: Purpose
    public var subject: String
    public var expiresAt: Date
    public var nonce: String

    public init(purpose: Purpose, subject: String, expiresAt: Date, nonce: String) {
        self.purpose = purpose
        self.subject = subject
        self.expiresAt = expiresAt
        self.nonce = nonce
    }

    /// Why a token is refused; each shows the reader the same page, and changes nothing.
    public enum Refusal: String, Error, Sendable {
        case malformed
        case badSignature = "bad_signature"
        case wrongPurpose = "wrong_purpose"
        case expired
    }

    var claims: String {
        ["v1", purpose.rawValue, subject, String(Int64(expiresAt.timeIntervalSince1970)), nonce].joined(separator: ".")
    }

    /// The token text, signed by `mac`.
    public func signed(mac: ([UInt8]) -> [UInt8]) -> String {
        let claims = Array(claims.utf8)
        return Base64URL.encode(claims) + "." + Base64URL.encode(mac(claims))
    }

    /// Verifies `text` with any of `macs` (the current key first, then rotated-out ones) and reads
    /// its claims; refuses a bad signature, another purpose, or an expiry at or before `now`.
    public static func verify(
        _ text: String, purpose: Purpose, now: Date, macs: [([UInt8]) -> [UInt8]]
    ) throws(Refusal) -> LinkToken {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 1024, parts.count == 2, let claims = Base64URL.decode(String(parts[0])),
            let signature = Base64URL.decode(String(parts[1]))
        else { throw .malformed }
        guard macs.contains(where: { constantTimeEqual($0(claims), signature) }) else { throw .badSignature }
        let fields = String(decoding: claims, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == "v1", let expiry = Int64(fields[3]) else { throw .malformed }
        guard fields[1] == purpose.rawValue, let parsedPurpose = Purpose(rawValue: String(fields[1])) else {
            throw .wrongPurpose
        }
        let token = LinkToken(
            purpose: parsedPurpose, subject: String(fields[2]),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(expiry)), nonce: String(fields[4]))
        guard token.expiresAt > now else { throw .expired }
        return token
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5): tokens travel in query strings.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        // One spelling per token: a last character with stray bits set is refused, not read alike.
        guard let bytes = Data(base64Encoded: base64).map({ Array($0) }), encode(bytes) == text else { return nil }
        return bytes
    }
}
