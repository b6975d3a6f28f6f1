import COpenSSL

/// HMAC-SHA256 and a constant-time comparison, both from OpenSSL's libcrypto.
///
/// The webhook schemes build on these two primitives only, so the cryptography
/// lives in one reviewed place and no Swift code re-implements it.
public enum HMACSHA256 {
    /// The length of a SHA-256 MAC in bytes.
    public static let byteCount = 32

    /// The HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        // HMAC() takes the key length as a C int; a key that long is a programming error.
        precondition(key.count <= Int(Int32.max), "HMAC key too long")
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        // An empty Swift array may hand out a nil base address, and OpenSSL 3 treats a
        // NULL key as "no key"; point at a dummy byte instead so "" is a valid key.
        var dummy: UInt8 = 0
        let result = key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                withUnsafeMutablePointer(to: &dummy) { dummyPointer in
                    output.withUnsafeMutableBufferPointer { outputBuffer in
                        HMAC(
                            EVP_sha256(),
                            UnsafeRawPointer(keyBuffer.baseAddress ?? UnsafePointer(dummyPointer)),
                            Int32(keyBuffer.count),
                            messageBuffer.baseAddress ?? UnsafePointer(dummyPointer),
                            messageBuffer.count,
                            outputBuffer.baseAddress,
                            &outputLength
                        )
                    }
                }
            }
        }
        // HMAC() only fails when libcrypto cannot allocate or fetch SHA-256: nothing to recover.
        precondition(result != nil && Int(outputLength) == byteCount, "OpenSSL HMAC-SHA256 failed")
        return Array(output.prefix(byteCount))
    }

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
