import Foundation
import PledgerCore

/// What a supporter's own link needs: the nonce that revokes old links, and what their page shows.
public protocol LinkRecords {
    /// The supporter's current link nonce ("0" until first revoked).
    func linkNonce(supporterID: ID<Supporter>) throws -> String
    /// Replaces the nonce: every link signed with the old one stops working.
    func setLinkNonce(supporterID: ID<Supporter>, nonce: String, at: Date) throws
    func supporter(id: ID<Supporter>) throws -> SupporterRecord?
    /// Every pledge of a supporter, newest first.
    func pledges(supporterID: ID<Supporter>) throws -> [Pledge]
    /// The payments on a supporter's pledges, newest first, with their receipt numbers.
    func payments(supporterID: ID<Supporter>, limit: Int) throws -> [(payment: Payment, receipt: ReceiptNumber?)]
}
