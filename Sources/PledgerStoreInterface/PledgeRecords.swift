import Foundation
import PledgerCore

/// Pledges, their dated events (status moves, amount changes) and the processor references
/// linked to them.
public protocol PledgeRecords {
    func insertPledge(_ pledge: Pledge) throws
    func pledge(id: ID<Pledge>) throws -> Pledge?
    /// Newest first, after the pledge `after` when paging.
    func pledges(status: PledgeStatus?, email: String?, limit: Int, after: ID<Pledge>?) throws -> [Pledge]
    /// Records a status move (checked by Core before), stamping the first payment or the cancellation.
    func movePledge(
        _ id: ID<Pledge>, from: PledgeStatus, to: PledgeStatus, at: Date, setFirstPaidAt: Bool, setCancelledAt: Bool
    ) throws
    /// Notes that the processor spoke of the pledge's pause at `at`; false, and nothing noted, when
    /// it already spoke later (the event came out of order).
    func notePauseWord(_ id: ID<Pledge>, at: Date) throws -> Bool
    /// The instant of the pledge's latest status move, if it ever moved.
    func latestStatusMove(_ id: ID<Pledge>) throws -> Date?
    /// Sets when a paused pledge resumes by itself (nil: until the processor says so).
    func setPledgeResumesAt(_ id: ID<Pledge>, _ resumesAt: Date?) throws
    /// Paused pledges whose planned resumption is at or before `instant`, earliest first.
    func pledgesDueToResume(atOrBefore instant: Date, limit: Int) throws -> [Pledge]
    func markFirstPaid(_ id: ID<Pledge>, at: Date) throws
    /// Records a change of amount and/or cadence from `at` on, keeping the old ones as history.
    func changePledgeTerms(
        _ id: ID<Pledge>, from old: (amount: Money, cadence: Cadence), to new: (amount: Money, cadence: Cadence),
        at: Date
    ) throws
    func setPledgeProcessor(_ pledgeID: ID<Pledge>, processor: String, ref: String?) throws
    /// Links a processor's reference (subscription, payment intent…) to a pledge or a payment.
    func linkRef(processor: String, ref: String, pledgeID: ID<Pledge>?, paymentID: ID<Payment>?, at: Date) throws
    /// The pledges any of `refs` are linked to at `processor`.
    func pledgeIDs(processor: String, refs: [String]) throws -> [ID<Pledge>]
}
