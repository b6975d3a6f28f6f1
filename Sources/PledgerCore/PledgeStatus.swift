import Foundation

/// Where a pledge stands. See DESIGN "The domain" for the moves.
public enum PledgeStatus: String, Sendable, CaseIterable, Codable {
    case pending, active, completed
    case pastDue = "past_due"
    case cancelled, expired
    /// A recurring pledge the supporter paused: no renewals and no MRR until it resumes.
    case paused

    public static func parse(_ text: String, field: String = "status") throws(PledgerError) -> PledgeStatus {
        guard let status = PledgeStatus(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let names = PledgeStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalid(field, "\"\(text)\" is not a pledge status; use one of \(names)")
        }
        return status
    }

    /// Whether a recurring pledge in this state counts towards MRR (once it has been paid).
    public var isLive: Bool { self == .active || self == .pastDue }

    /// Whether the pledge is still open: it can change amount, pause or be cancelled.
    public var isOpen: Bool { self == .pending || isLive || self == .paused }

    /// The only moves a pledge may make; everything else is refused.
    public func canMove(to next: PledgeStatus, cadence: Cadence) -> Bool {
        switch (self, next) {
        case (.pending, .active), (.pastDue, .active): cadence.isRecurring
        case (.pending, .completed): !cadence.isRecurring
        case (.active, .pastDue): cadence.isRecurring
        case (.active, .paused), (.pastDue, .paused), (.paused, .active), (.paused, .cancelled): cadence.isRecurring
        case (.pending, .cancelled), (.active, .cancelled), (.pastDue, .cancelled): true
        case (.pending, .expired): true
        default: false
        }
    }

    /// Checks a move, refusing with a message that names both states.
    public func move(to next: PledgeStatus, cadence: Cadence, pledgeID: ID<Pledge>) throws(PledgerError) -> PledgeStatus
    {
        guard canMove(to: next, cadence: cadence) else {
            throw PledgerError(
                .refused, code: "invalid_transition", field: "status",
                message: "pledge \(pledgeID) cannot move from \(rawValue) to \(next.rawValue)"
            )
        }
        return next
    }

    /// The state a payment leaves a pledge in, or nil when the payment does not move it
    /// (a further payment on an active or completed pledge; money on a cancelled pledge is still booked).
    /// Money for a paused pledge means the processor collects again (the pause was lifted there, or
    /// never made): it resumes, so MRR does not stay at zero while renewals come in.
    public func afterPayment(cadence: Cadence) -> PledgeStatus? {
        switch self {
        case .pending: cadence.isRecurring ? .active : .completed
        case .pastDue: .active
        case .paused: cadence.isRecurring ? .active : nil
        default: nil
        }
    }
}
