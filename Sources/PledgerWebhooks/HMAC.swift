import COpenSSL
import Foundation

/// HMAC-SHA256 and a constant-time comparison, both from OpenSSL's libcrypto.
///
/// The webhook schemes build on these two primitives only, so the cryptography
/// lives in one reviewed place and no Swift code re-implements it.
public enum HMACSHA256 {
    /// The length of a SHA-256 MAC in bytes.
    public static let byteCount = 32

    /// The HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        mac(key: key, prefix: [], body: message)
    }

    /// HMAC-SHA256 of `prefix` followed by `body`, fed to OpenSSL in two parts so a signed
    /// payload such as `"<t>.<body>"` is never copied into one buffer.
    public static func mac(key: [UInt8], prefix: [UInt8], body: [UInt8]) -> [UInt8] {
        Key(key).mac(prefix: prefix, body: body)
    }

    /// A secret made ready once: OpenSSL's HMAC context already keyed (the inner and outer pads
    /// hashed), so each message only copies that state and hashes the message itself. Keying
    /// and fetching SHA-256 for every message cost about as much as hashing a 2 KB event.
    ///
    /// The keyed context is only ever read (copied) after `init`, which OpenSSL allows from many
    /// threads at once; hence `@unchecked Sendable`.
    public final class Key: @unchecked Sendable {
        private let keyed: OpaquePointer

        /// Keys a context with `key` (any length, empty included).
        public init(_ key: [UInt8]) {
            // HMAC takes the key length as a C int; a key that long is a programming error.
            precondition(key.count <= Int(Int32.max), "HMAC key too long")
            guard let context = EVP_MAC_CTX_new(HMACSHA256.algorithm) else {
                preconditionFailure("OpenSSL could not allocate an HMAC context")
            }
            var parameters = [
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, HMACSHA256.digestName, 0),
                OSSL_PARAM_construct_end(),
            ]
            // An empty Swift array may hand out a nil base address, and OpenSSL treats a NULL key as
            // "keep the previous key"; point at a dummy byte instead so "" is a valid key.
            var dummy: UInt8 = 0
            let ok = withUnsafeMutablePointer(to: &dummy) { dummyPointer in
                key.withUnsafeBufferPointer { keyBuffer in
                    EVP_MAC_init(
                        context, keyBuffer.baseAddress ?? UnsafePointer(dummyPointer), keyBuffer.count, &parameters)
                        == 1
                }
            }
            // Only fails when libcrypto cannot allocate or fetch SHA-256: nothing to recover.
            precondition(ok, "OpenSSL could not key HMAC-SHA256")
            keyed = context
        }

        deinit {
            EVP_MAC_CTX_free(keyed)
        }

        /// HMAC-SHA256 of `prefix` followed by `body` under this key.
        public func mac(prefix: [UInt8], body: [UInt8]) -> [UInt8] {
            guard let context = EVP_MAC_CTX_dup(keyed) else {
                preconditionFailure("OpenSSL could not copy an HMAC context")
            }
            defer { EVP_MAC_CTX_free(context) }
            var dummy: UInt8 = 0
            var output = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
            var outputLength = 0
            let ok = withUnsafeMutablePointer(to: &dummy) { dummyPointer in
                prefix.withUnsafeBufferPointer {
                    EVP_MAC_update(context, $0.baseAddress ?? UnsafePointer(dummyPointer), $0.count) == 1
                }
                    && body.withUnsafeBufferPointer {
                        EVP_MAC_update(context, $0.baseAddress ?? UnsafePointer(dummyPointer), $0.count) == 1
                    }
                    && output.withUnsafeMutableBufferPointer {
                        EVP_MAC_final(context, $0.baseAddress, &outputLength, HMACSHA256.byteCount) == 1
                    }
            }
            precondition(ok && outputLength == HMACSHA256.byteCount, "OpenSSL HMAC-SHA256 failed")
            return output
        }
    }

    /// The HMAC algorithm, fetched once: fetching it for every message cost more than hashing 2 KB.
    /// OpenSSL's fetched algorithms are immutable and safe to share between threads.
    nonisolated(unsafe) fileprivate static let algorithm: OpaquePointer = {
        guard let algorithm = EVP_MAC_fetch(nil, "HMAC", nil) else { preconditionFailure("OpenSSL has no HMAC") }
        return algorithm
    }()

    /// "SHA256" as a C string that lives as long as the process (OSSL_PARAM keeps the pointer).
    nonisolated(unsafe) fileprivate static let digestName: UnsafeMutablePointer<CChar> = strdup("SHA256")!

    /// Whether `a` and `b` hold the same bytes, in time that depends only on their length.
    ///
    /// Different lengths return `false` at once without looking at the content: a
    /// length is not a secret (every MAC here is 32 bytes).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { aBytes in
            b.withUnsafeBytes { bBytes in
                CRYPTO_memcmp(aBytes.baseAddress, bBytes.baseAddress, aBytes.count) == 0
            }
        }
    }
}
