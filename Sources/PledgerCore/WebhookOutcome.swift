/// What became of a delivery.
public enum WebhookOutcome: String, Sendable, Codable, CaseIterable {
    /// Verified and applied (possibly with nothing left to do, e.g. money already booked by a sibling event).
    case processed
    /// The same provider and event id was already stored: nothing changed.
    case duplicate
    /// A type Pledger does not use: stored, nothing else.
    case ignored
    /// It names a pledge or payment Pledger does not know: stored, replayable after reconciliation.
    case unmatched
    /// Verification failed: nothing stored at all.
    case rejected
    /// Validly signed, but its event id was stored with another body: nothing booked, the delivery
    /// kept for review (a processor never does this; it means a bug or a leaked secret).
    case conflict

    /// The outcomes of the deliveries kept: stored events, and conflicts kept for review (a duplicate
    /// or a rejected delivery is not kept).
    public static let stored: [WebhookOutcome] = [.processed, .ignored, .unmatched, .conflict]

    /// Whether the processor should be told it was received (2xx / exit 0).
    public var isAccepted: Bool { self != .rejected && self != .conflict }
}
