import Foundation
import PledgerCore

/// The outbox: events written in the same transaction as the change they report, and receipt numbers.
public protocol OutboxRecords {
    /// Numbers `draft` with the next sequence and a new `evt_…` id, and stores it.
    func appendEvent(_ draft: OutboundEventDraft, recordedAt: Date) throws -> OutboundEvent
    /// Events in sequence order, after `afterSequence`, optionally of one type and occurred since an instant.
    func events(type: OutboundEventType?, since: Date?, afterSequence: Int64?, limit: Int) throws -> [OutboundEvent]
    func event(id: ID<OutboundEvent>) throws -> OutboundEvent?
    /// Every event about a supporter, for erasure.
    func events(supporterID: ID<Supporter>) throws -> [OutboundEvent]
    /// Replaces an event's body with its erased form (the only change an event ever takes).
    func replaceErasedEventBody(sequence: Int64, body: String, at: Date) throws
    /// The highest sequence given out so far (0 before the first event).
    func latestEventSequence() throws -> Int64

    /// Takes the next receipt number of `year` for `payment`.
    func takeReceiptNumber(year: Int, payment: ID<Payment>) throws -> ReceiptNumber
    func receiptNumber(payment: ID<Payment>) throws -> ReceiptNumber?
}
