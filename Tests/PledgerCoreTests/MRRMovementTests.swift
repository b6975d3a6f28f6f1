import Foundation
import Testing

@testable import PledgerCore

/// `MRRMovement.classify` and `roundHalfEven`: DESIGN "The monthly revenue report", MRR.
///
/// Twelfths: a supporter's MRR × 12 in minor units, i.e. monthly amount × 12 + annual amount × 1.
/// A 5.00 monthly pledge is 6000 twelfths (MRR 500); a 100.00 annual one is 10000 twelfths (MRR 833.33…).
@Suite("MRR movement")
struct MRRMovementTests {

    static func s(_ id: String, _ start: Int64, _ end: Int64, earlier: Bool = false) -> SupporterMRR {
        SupporterMRR(supporterID: id, startTwelfths: start, endTwelfths: end, hadEarlier: earlier)
    }

    static func movement(
        start: Int64, new: Int64 = 0, reactivated: Int64 = 0, expansion: Int64 = 0,
        contraction: Int64 = 0, churned: Int64 = 0, end: Int64
    ) -> MRRMovement {
        MRRMovement(
            start: start, new: new, reactivated: reactivated, expansion: expansion,
            contraction: contraction, churned: churned, end: end)
    }

    static func identityHolds(_ m: MRRMovement) -> Bool {
        m.start + m.new + m.reactivated + m.expansion - m.contraction - m.churned == m.end
    }

    // MARK: One supporter at a time

    /// A 5.00 monthly pledge from nobody before: new 500.
    @Test func newSupporter() throws {
        let m = try MRRMovement.classify([Self.s("a", 0, 6_000)])
        #expect(m == Self.movement(start: 0, new: 500, end: 500))
    }

    /// The same, from someone who had recurring revenue earlier: reactivated, not new.
    @Test func reactivatedSupporter() throws {
        let m = try MRRMovement.classify([Self.s("a", 0, 6_000, earlier: true)])
        #expect(m == Self.movement(start: 0, reactivated: 500, end: 500))
    }

    /// 5.00 → 8.00 monthly: expansion 300.
    @Test func expansion() throws {
        let m = try MRRMovement.classify([Self.s("a", 6_000, 9_600)])
        #expect(m == Self.movement(start: 500, expansion: 300, end: 800))
    }

    /// 8.00 → 5.00 monthly: contraction 300.
    @Test func contraction() throws {
        let m = try MRRMovement.classify([Self.s("a", 9_600, 6_000)])
        #expect(m == Self.movement(start: 800, contraction: 300, end: 500))
    }

    /// A 100.00 annual pledge cancelled: churned 833 (10000 / 12 = 833.33 → 833).
    @Test func churn() throws {
        let m = try MRRMovement.classify([Self.s("a", 10_000, 0, earlier: true)])
        #expect(m == Self.movement(start: 833, churned: 833, end: 0))
    }

    @Test func unchangedIsNoMovement() throws {
        let m = try MRRMovement.classify([Self.s("a", 6_000, 6_000, earlier: true)])
        #expect(m == Self.movement(start: 500, end: 500))
    }

    /// Zero at both edges counts for nothing, whatever happened in between or earlier.
    @Test func zeroToZeroIgnored() throws {
        let m = try MRRMovement.classify([Self.s("a", 0, 0), Self.s("b", 0, 0, earlier: true)])
        #expect(m == Self.movement(start: 0, end: 0))
        #expect(try MRRMovement.classify([]) == Self.movement(start: 0, end: 0))
    }

    /// `hadEarlier` only matters for supporters with nothing at the start.
    @Test func hadEarlierIgnoredWhenThereWasMRRAtStart() throws {
        let m = try MRRMovement.classify([Self.s("a", 6_000, 12_000, earlier: true), Self.s("b", 6_000, 12_000)])
        #expect(m == Self.movement(start: 1_000, expansion: 1_000, end: 2_000))
    }

    // MARK: Rounding of start and end

    /// Start and end are rounded half-to-even once, after summing: 6/12 = 0.5 → 0, 18/12 = 1.5 → 2, 30/12 = 2.5 → 2.
    @Test(arguments: [
        (Int64(6), Int64(0)), (18, 2), (30, 2), (42, 4), (7, 1), (5, 0), (10_000, 833), (6_006, 500), (6_018, 502),
    ])
    func startAndEndRoundHalfToEven(twelfths: Int64, expected: Int64) throws {
        let atEnd = try MRRMovement.classify([Self.s("a", 0, twelfths)])
        #expect(atEnd.start == 0)
        #expect(atEnd.end == expected)
        let atStart = try MRRMovement.classify([Self.s("a", twelfths, 0)])
        #expect(atStart.start == expected)
        #expect(atStart.end == 0)
    }

    /// Rounded once after summing, not per supporter: three annual 1.00 pledges are 300/12 = 25,
    /// and twelve supporters of 6 twelfths (0.5 each, each rounding to 0) are 72/12 = 6.
    @Test func roundedOnceAfterSumming() throws {
        let three = try MRRMovement.classify((1...3).map { Self.s("a\($0)", 100, 100) })
        #expect(three.start == 25 && three.end == 25)
        let twelve = try MRRMovement.classify((1...12).map { Self.s("b\($0)", 0, 6) })
        #expect(twelve.end == 6)
        #expect(twelve.new == 6)
    }

    // MARK: The identity with fractional movements

    /// Worked by hand: every movement has a fractional part.
    ///   a new, annual 100.00:            end 10000           new 10000/12 = 833.33
    ///   b churn, monthly 5.00:           6000 → 0            churned 500
    ///   c expansion, monthly 10 → 15:    12000 → 18000       expansion 500
    ///   d contraction, annual 120.10 → 100.00: 12010 → 10000 contraction 2010/12 = 167.5
    /// Running totals (twelfths → rounded): 30010 → 2501, +new 40010 → 3334, +exp 46010 → 3834,
    /// −contr 44000 → 3667, −churn 38000 → 3167. So start 2501, new 833, expansion 500,
    /// contraction 167 (its own rounding would be 168), churned 500, end 3167.
    @Test func handWorkedMixedSet() throws {
        let m = try MRRMovement.classify([
            Self.s("a", 0, 10_000),
            Self.s("b", 6_000, 0, earlier: true),
            Self.s("c", 12_000, 18_000),
            Self.s("d", 12_010, 10_000),
        ])
        #expect(m == Self.movement(start: 2_501, new: 833, expansion: 500, contraction: 167, churned: 500, end: 3_167))
        #expect(Self.identityHolds(m))
        #expect(m.isBalanced)
    }

    /// More mixed sets whose movements all have fractional parts; the identity holds exactly and
    /// start / end are the rounded sums.
    @Test(arguments: [
        [s("a", 0, 1), s("b", 0, 5, earlier: true), s("c", 7, 13), s("d", 25, 19), s("e", 11, 0)],
        [s("a", 0, 6), s("b", 0, 6, earlier: true), s("c", 6, 12), s("d", 18, 12), s("e", 6, 0)],
        [
            s("a", 0, 10_001), s("b", 0, 12_007, earlier: true), s("c", 1_205, 2_411), s("d", 99_999, 50_005),
            s("e", 33_331, 0), s("f", 0, 0),
        ],
        [s("a", 5, 0), s("b", 5, 0), s("c", 5, 0)],
        [s("a", 0, 5), s("b", 0, 5), s("c", 0, 5, earlier: true)],
        [s("a", 1, 2), s("b", 3, 4), s("c", 5, 6), s("d", 8, 7)],
    ])
    func identityHoldsForMixedSets(supporters: [SupporterMRR]) throws {
        let m = try MRRMovement.classify(supporters)
        #expect(Self.identityHolds(m))
        #expect(m.isBalanced)
        #expect(m.start == roundHalfEven(supporters.map(\.startTwelfths).reduce(0, +), dividedBy: 12))
        #expect(m.end == roundHalfEven(supporters.map(\.endTwelfths).reduce(0, +), dividedBy: 12))
        for value in [m.new, m.reactivated, m.expansion, m.contraction, m.churned] {
            #expect(value >= 0)
        }
    }

    /// `isBalanced` is the identity: it notices one unit off.
    @Test func isBalancedDetectsAnError() {
        #expect(
            Self.movement(start: 10, new: 5, reactivated: 1, expansion: 2, contraction: 3, churned: 4, end: 11)
                .isBalanced)
        #expect(
            !Self.movement(start: 10, new: 5, reactivated: 1, expansion: 2, contraction: 3, churned: 4, end: 12)
                .isBalanced)
    }

    /// A sum past Int64 is an error, not a trap.
    @Test func overflowIsAnError() {
        #expect {
            try MRRMovement.classify([Self.s("a", .max, .max), Self.s("b", 1, 1)])
        } throws: { error in
            (error as? PledgerError)?.code == "amount_overflow"
        }
    }

    // MARK: Property test over pseudo-random sets

    /// One supporter's twelfths: none, a monthly amount × 12, an annual amount, or a mix.
    static func randomTwelfths(_ rng: inout SeededGenerator) -> Int64 {
        switch rng.next() % 5 {
        case 0: return 0
        case 1: return Int64.random(in: 200...5_000, using: &rng) * 12  // monthly 2.00–50.00
        case 2: return Int64.random(in: 2_000...100_000, using: &rng)  // annual 20.00–1000.00
        case 3: return Int64.random(in: 1...40, using: &rng)  // tiny, to stress rounding
        default: return Int64.random(in: 200...5_000, using: &rng) * 12 + Int64.random(in: 2_000...100_000, using: &rng)
        }
    }

    /// 500 sets of 0–40 supporters: the identity, start/end = roundHalfEven(sum / 12), and each
    /// movement within one minor unit of roundHalfEven(its own sum / 12).
    @Test func propertyOverPseudoRandomSets() throws {
        var rng = SeededGenerator(seed: 0x5EED_0F_2026)
        for round in 0..<500 {
            let count = Int(rng.next() % 41)
            let supporters = (0..<count).map { i in
                Self.s("s\(i)", Self.randomTwelfths(&rng), Self.randomTwelfths(&rng), earlier: rng.next() % 3 == 0)
            }
            let m = try MRRMovement.classify(supporters)

            // Movements in twelfths, classified independently of the code under test.
            var new: Int64 = 0
            var reactivated: Int64 = 0
            var expansion: Int64 = 0
            var contraction: Int64 = 0
            var churned: Int64 = 0
            for s in supporters {
                let (b, e) = (s.startTwelfths, s.endTwelfths)
                if b == 0 && e > 0 {
                    if s.hadEarlier { reactivated += e } else { new += e }
                } else if b > 0 && e == 0 {
                    churned += b
                } else if e > b {
                    expansion += e - b
                } else {
                    contraction += b - e
                }
            }
            let startSum = supporters.map(\.startTwelfths).reduce(0, +)
            let endSum = supporters.map(\.endTwelfths).reduce(0, +)

            #expect(Self.identityHolds(m), "round \(round): \(m)")
            #expect(m.start == roundHalfEven(startSum, dividedBy: 12), "round \(round)")
            #expect(m.end == roundHalfEven(endSum, dividedBy: 12), "round \(round)")
            let pairs: [(String, Int64, Int64)] = [
                ("new", m.new, new), ("reactivated", m.reactivated, reactivated), ("expansion", m.expansion, expansion),
                ("contraction", m.contraction, contraction), ("churned", m.churned, churned),
            ]
            for (name, value, twelfths) in pairs {
                #expect(
                    abs(value - roundHalfEven(twelfths, dividedBy: 12)) <= 1,
                    "round \(round): \(name) \(value) vs \(twelfths)/12")
                #expect(value >= 0, "round \(round): \(name)")
            }
        }
    }

    // MARK: roundHalfEven

    static let roundingCases: [(value: Int64, divisor: Int64, expected: Int64)] = [
        (0, 12, 0),
        (6, 12, 0), (18, 12, 2), (30, 12, 2), (42, 12, 4),
        (5, 12, 0), (7, 12, 1), (17, 12, 1), (19, 12, 2),
        (-6, 12, 0), (-18, 12, -2), (-30, 12, -2), (-42, 12, -4),
        (-5, 12, 0), (-7, 12, -1), (-19, 12, -2),
        (10_000, 12, 833), (-10_000, 12, -833),
        (25, 10, 2), (35, 10, 4), (-25, 10, -2), (-35, 10, -4),
        (1, 2, 0), (3, 2, 2), (-1, 2, 0), (-3, 2, -2),
        (1, 3, 0), (2, 3, 1), (-2, 3, -1),
        (7, 1, 7), (-7, 1, -7),
        (.max, 1, .max), (.min, 1, .min),
        (.max, 2, 4_611_686_018_427_387_904),  // 4611686018427387903.5 → even ...904
        (.min, 2, -4_611_686_018_427_387_904),
        (.min + 1, 2, -4_611_686_018_427_387_904),  // −...903.5 → even −...904
        (.max, .max, 1), (.min, .max, -1), (.max / 2, .max, 0), (.max / 2 + 1, .max, 1),
    ]

    @Test(arguments: roundingCases)
    func roundHalfEvenTable(value: Int64, divisor: Int64, expected: Int64) {
        #expect(roundHalfEven(value, dividedBy: divisor) == expected)
    }
}
