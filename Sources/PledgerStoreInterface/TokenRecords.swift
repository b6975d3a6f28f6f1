import Foundation
import PledgerCore

/// API tokens, kept as SHA-256 hashes.
public protocol TokenRecords {
    func insertToken(name: String, tokenHash: String, scopes: Set<APIScope>, at: Date) throws
    func token(name: String) throws -> APIToken?
    /// The token with this hash, unless revoked.
    func liveToken(hash: String) throws -> APIToken?
    func tokens() throws -> [APIToken]
    func revokeToken(name: String, at: Date) throws
}
