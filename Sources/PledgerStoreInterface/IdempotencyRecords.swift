import Foundation

/// Responses remembered under a client's `Idempotency-Key`.
public protocol IdempotencyRecords {
    func rememberedResponse(owner: String, key: String) throws -> (fingerprint: String, response: RememberedResponse)?
    /// - Throws: when another transaction remembered the same key first.
    func rememberResponse(owner: String, key: String, fingerprint: String, response: RememberedResponse, at: Date)
        throws
    func forgetResponses(before: Date) throws
}
