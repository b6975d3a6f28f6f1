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

    func insertSupporterRequest(_ request: SupporterRequest) throws
    /// The requests about these pledges not yet confirmed by the processor, oldest first.
    func openSupporterRequests(pledgeIDs: [ID<Pledge>]) throws -> [SupporterRequest]
    /// Marks a pledge's open requests of a kind (`pause`, `cancel`, `resume`) confirmed.
    func confirmSupporterRequests(pledgeID: ID<Pledge>, kind: String, at: Date) throws
    /// Marks a pledge's open change requests confirmed that the pledge now meets: the amount asked
    /// (if any) is `amount` and the cadence asked (if any) is `cadence`.
    func confirmChangeRequests(pledgeID: ID<Pledge>, amount: Money, cadence: Cadence, at: Date) throws
    /// Forgets the notes a supporter wrote on their requests (erasure).
    func eraseSupporterRequestNotes(supporterID: ID<Supporter>) throws
    /// Cancel requests made in `[start, end)` per reason, and how many were confirmed before `end`.
    func cancellationReasons(_ month: (start: Date, end: Date)) throws
        -> [CancellationReason: (requested: Int64, confirmed: Int64)]
}
