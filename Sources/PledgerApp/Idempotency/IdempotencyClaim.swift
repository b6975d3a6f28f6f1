import PledgerCore
import PledgerWebhooks

/// A client's claim on an `Idempotency-Key`.
public struct IdempotencyClaim: Sendable, Equatable {
    /// Who the key belongs to (the token's name): keys of different clients never collide.
    public var owner: String
    public var key: String
    /// SHA-256 of the request's method, path and body.
    public var fingerprint: String

    public init(owner: String, key: String, method: String, path: String, body: [UInt8]) {
        self.owner = owner
        self.key = key
        self.fingerprint = Crypto.sha256Hex(Array("\(method) \(path)\n".utf8) + body)
    }

    /// Checks a key: 1–200 visible ASCII characters.
    public static func checkKey(_ text: String) throws(PledgerError) -> String {
        guard (1...200).contains(text.count), text.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline })
        else {
            throw .invalid("Idempotency-Key", "must be 1–200 visible ASCII characters")
        }
        return text
    }
}
