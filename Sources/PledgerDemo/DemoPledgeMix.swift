import PledgerCore

/// The demo's mix of pledges, shared by the generator that goes through the use cases and the bulk
/// one: the same roll gives the same cadence and the same draw the same amount in both.
enum DemoPledgeMix {
    /// The cadence for a reader's roll of 0–99: most give monthly, some yearly, the rest once.
    static func cadence(roll: UInt64) -> Cadence {
        roll < 40 || roll >= 85 ? .monthly : roll < 55 ? .annual : .oneOff
    }

    /// A typical amount for `cadence`, drawn from `rng`, in whole major units of `currency`.
    static func amount(for cadence: Cadence, in currency: Currency, rng: inout SeededGenerator) -> Money {
        let majors: [Int64] =
            switch cadence {
            case .monthly: [2, 5, 5, 8, 10, 10, 15, 20]
            case .annual: [24, 50, 60, 100, 120]
            case .oneOff: [2, 5, 10, 20, 25, 50, 100]
            }
        return Money(minorUnits: majors[Int(rng.next(upTo: UInt64(majors.count)))] * 100, currency: currency)
    }
}
