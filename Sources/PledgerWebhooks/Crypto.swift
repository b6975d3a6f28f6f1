import COpenSSL
import PledgerCore

/// SHA-256 and secure random bytes from libcrypto, for API tokens and request fingerprints.
public enum Crypto {
    /// SHA-256 of `bytes`, as lower-case hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = bytes.withUnsafeBufferPointer { SHA256($0.baseAddress, $0.count, &digest) }
        return Hex.encode(digest)
    }

    /// `count` bytes from OpenSSL's CSPRNG; traps if the generator fails, as nothing safe can follow.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "RAND_bytes failed")
        return bytes
    }
}
