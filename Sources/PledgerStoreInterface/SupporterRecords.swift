import Foundation
import PledgerCore

/// The supporters a pledge or a reminder belongs to.
public protocol SupporterRecords {
    func supporter(email: String) throws -> SupporterRecord?
    func supporter(externalRef: String) throws -> SupporterRecord?
    func insertSupporter(id: ID<Supporter>, email: String?, externalRef: String?, at: Date) throws
    /// The supporter a processor's own id for them (a Stripe customer id) names, when linked.
    func supporterID(processor: String, ref: String) throws -> ID<Supporter>?
    /// Links a processor's id for a supporter to them; linking the same pair again changes nothing.
    func linkSupporterRef(processor: String, ref: String, supporterID: ID<Supporter>, at: Date) throws
    /// Adds what a known supporter lacked (an e-mail, an external ref); never overwrites.
    func completeSupporter(id: ID<Supporter>, email: String?, externalRef: String?) throws
    /// Replaces the supporter's personal data with a tombstone, here and in stored payloads.
    /// - Returns: how many stored webhook payloads were rewritten.
    func eraseSupporter(id: ID<Supporter>, email: String?, at: Date) throws -> Int
}
