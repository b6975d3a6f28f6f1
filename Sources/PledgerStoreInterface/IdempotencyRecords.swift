import Foundation

/// Responses remembered under a client's `Idempotency-Key`.
public protocol IdempotencyRecords {
    /// The response remembered under a client's key, with the fingerprint of the request that made it.
    func rememberedResponse(owner: String, key: String) throws -> (fingerprint: String, status: Int, body: [UInt8])?
    /// - Throws: ``IdempotencyKeyTaken`` when another transaction remembered the same key first.
    func rememberResponse(owner: String, key: String, fingerprint: String, status: Int, body: [UInt8], at: Date) throws
    func forgetResponses(before: Date) throws
}
