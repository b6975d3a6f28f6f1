/// The outcome of `pledger verify`.
public struct Verification: Sendable, Equatable {
    public var transactionsChecked = 0
    public var paymentsWithReversalsChecked = 0
    /// Every breach found, first one first; empty when all invariants hold.
    public var breaches: [String] = []

    public var holds: Bool { breaches.isEmpty }
}
