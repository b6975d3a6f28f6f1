import Foundation

/// What a verified processor event asks Pledger to do, decoded from the processor's shape.
/// Applying it is the ingestion use case's job; deciding it is the decoder's.
public enum WebhookAction: Sendable, Equatable {
    /// Store processor references on a pledge (a subscription checkout); nothing is booked.
    case link(PledgeReference, refs: [String])
    /// Money received. `linkRefs` (charge id, session id…) are remembered for later events.
    case payment(PledgeReference?, externalID: String, amount: Money, fee: Money?, linkRefs: [String])
    /// A renewal failed: the pledge becomes past due.
    case paymentFailed(PledgeReference)
    /// A charge's cumulative refunded total: the part not yet booked is booked now.
    case refundedTotal(paymentRefs: [String], chargeID: String, total: Money)
    /// One refund of a payment.
    case refund(paymentRefs: [String], refundID: String, amount: Money)
    /// A chargeback (dispute) of a payment, with the processor's dispute fee.
    case chargeback(paymentRefs: [String], disputeID: String, amount: Money, fee: Money?)
    /// The subscription or pledge ended.
    case cancel(PledgeReference)
    /// A recurring pledge's subscription changed: its amount (nil: not said), its cadence (nil:
    /// not said) and whether it is paused (nil: not said). Each part changes the pledge only when
    /// it differs from the pledge.
    case update(PledgeReference, amount: Money?, cadence: CadenceState?, pause: PauseState?)
    /// An event type Pledger does not use, or one with nothing to do.
    case ignore(reason: String)

    /// What a processor says of a subscription's billing interval.
    public enum CadenceState: Sendable, Equatable {
        /// An interval Pledger has a cadence for (every month, every year).
        case known(Cadence)
        /// An interval Pledger has no cadence for (every 3 months, every week…): the pledge keeps
        /// its cadence, and the event's detail says why.
        case unknown(String)
    }

    /// What a processor says of a subscription's collection.
    public enum PauseState: Sendable, Equatable {
        /// Collecting as usual: a paused pledge resumes.
        case running
        /// Paused, until `resumesAt` when the processor names it.
        case paused(resumesAt: Date?)
    }
}
