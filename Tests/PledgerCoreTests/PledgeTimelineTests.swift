import Foundation
import Testing

@testable import PledgerCore

/// The MRR rules of one pledge: a cadence's weight, when a pledge counts, the amount in force,
/// the past-due test, and the changes the report's walk sums (DESIGN "The monthly revenue report").
/// One millisecond after `iso`, the stored resolution of instants.
private func after(_ iso: String) -> Date {
    at(iso).addingTimeInterval(0.001)
}

@Suite("Pledge timeline: MRR weight, amount in force, past due")
struct PledgeTimelineTests {
    /// A monthly 5.00 pledge created 01-01, paid 01-02, raised to 8.00 on 03-01, renewal failed
    /// 04-02, paid again 04-10, cancelled 06-01.
    static let monthly = PledgeTimeline(
        pledgeID: "p1", supporterID: "s1", currency: "USD", cadence: .monthly,
        firstPaidAt: at("2026-01-02T00:00:00Z"), cancelledAt: at("2026-06-01T00:00:00Z"),
        amounts: [
            .init(at: at("2026-01-01T00:00:00Z"), sequence: 1, amount: 500, isCreation: true),
            .init(at: at("2026-03-01T00:00:00Z"), sequence: 5, amount: 800),
        ],
        statusMoves: [
            .init(at: at("2026-01-02T00:00:00Z"), sequence: 2, to: .active),
            .init(at: at("2026-04-02T00:00:00Z"), sequence: 6, to: .pastDue),
            .init(at: at("2026-04-10T00:00:00Z"), sequence: 7, to: .active),
            .init(at: at("2026-06-01T00:00:00Z"), sequence: 8, to: .cancelled),
        ])

    @Test("A monthly amount weighs 12 twelfths, an annual one 1, a one-off none")
    func weights() throws {
        #expect(Cadence.monthly.mrrWeight == 12)
        #expect(Cadence.annual.mrrWeight == 1)
        #expect(Cadence.oneOff.mrrWeight == 0)
        // 5.00 a month is 6000 twelfths (MRR 500); 100.00 a year is 10000 twelfths (MRR 833.33…).
        #expect(try Cadence.monthly.mrrTwelfths(amount: 500) == 6_000)
        #expect(try Cadence.annual.mrrTwelfths(amount: 10_000) == 10_000)
        #expect(try Cadence.oneOff.mrrTwelfths(amount: 10_000) == 0)
    }

    @Test("A weight that overflows is refused, not wrapped")
    func weightOverflow() throws {
        let error = thrown { () throws(PledgerError) in try Cadence.monthly.mrrTwelfths(amount: Int64.max / 12 + 1) }
        #expect(error?.code == "amount_overflow")
        #expect(try Cadence.annual.mrrTwelfths(amount: Int64.max) == Int64.max)
    }

    @Test("Counts from just after its first payment to its cancellation, at the amount in force just before")
    func counts() throws {
        let p = Self.monthly
        #expect(try p.mrrTwelfths(at: at("2026-01-01T12:00:00Z")) == 0)  // created, not paid
        #expect(try p.mrrTwelfths(at: at("2026-01-02T00:00:00Z")) == 0)  // the instant of payment
        #expect(try p.mrrTwelfths(at: after("2026-01-02T00:00:00Z")) == 6_000)
        #expect(try p.mrrTwelfths(at: at("2026-03-01T00:00:00Z")) == 6_000)  // the raise takes effect after
        #expect(try p.mrrTwelfths(at: after("2026-03-01T00:00:00Z")) == 9_600)
        #expect(try p.mrrTwelfths(at: at("2026-06-01T00:00:00Z")) == 9_600)  // cancelled at the instant: still counts
        #expect(try p.mrrTwelfths(at: after("2026-06-01T00:00:00Z")) == 0)
        #expect(p.amount(before: at("2025-12-01T00:00:00Z")) == 500)  // before any event: the creation amount
        var gift = p
        gift.cadence = .oneOff
        #expect(!gift.counts(at: at("2026-02-01T00:00:00Z")))
        var unpaid = p
        unpaid.firstPaidAt = nil
        #expect(!unpaid.counts(at: at("2026-02-01T00:00:00Z")))
    }

    @Test("Amount events of the same instant follow the order they were recorded in")
    func sameInstant() throws {
        var p = Self.monthly
        p.amounts += [
            .init(at: at("2026-02-01T00:00:00Z"), sequence: 4, amount: 700),
            .init(at: at("2026-02-01T00:00:00Z"), sequence: 3, amount: 900),
        ]
        #expect(p.amount(before: at("2026-02-02T00:00:00Z")) == 700)
        #expect(p.amount(atOrBefore: at("2026-02-01T00:00:00Z")) == 700)
        #expect(p.amount(before: at("2026-02-01T00:00:00Z")) == 500)
    }

    @Test("Past due at an instant: counts then, and its latest status move before it was to past_due")
    func pastDue() {
        let p = Self.monthly
        #expect(!p.isPastDue(at: at("2026-04-02T00:00:00Z")))  // the move is not before the instant
        #expect(p.isPastDue(at: after("2026-04-02T00:00:00Z")))
        #expect(p.isPastDue(at: at("2026-04-10T00:00:00Z")))
        #expect(!p.isPastDue(at: after("2026-04-10T00:00:00Z")))
        var unpaid = p
        unpaid.statusMoves = [.init(at: at("2026-04-02T00:00:00Z"), sequence: 6, to: .pastDue)]
        #expect(unpaid.isPastDue(at: at("2026-04-05T00:00:00Z")))
        unpaid.firstPaidAt = nil
        #expect(!unpaid.isPastDue(at: at("2026-04-05T00:00:00Z")))
        // Cancelled while past due: at risk up to the cancellation, not after.
        var cancelled = p
        cancelled.statusMoves = Array(p.statusMoves.prefix(2))
        cancelled.cancelledAt = at("2026-05-01T00:00:00Z")
        #expect(cancelled.isPastDue(at: at("2026-05-01T00:00:00Z")))
        #expect(!cancelled.isPastDue(at: after("2026-05-01T00:00:00Z")))
        // Two moves at one instant: the later recorded decides.
        var flicker = p
        flicker.statusMoves.append(.init(at: at("2026-04-10T00:00:00Z"), sequence: 9, to: .pastDue))
        #expect(flicker.isPastDue(at: at("2026-04-20T00:00:00Z")))
    }

    @Test("The changes: + at the first payment, ± at each later amount, − at the cancellation")
    func changes() throws {
        let changes = try Self.monthly.mrrChanges()
        #expect(changes.map(\.at) == ["2026-01-02", "2026-03-01", "2026-06-01"].map { at("\($0)T00:00:00Z") })
        #expect(changes.map(\.twelfths) == [6_000, 3_600, -9_600])
        // A change at the instant of the first payment is part of it; a cancellation no later than
        // the first payment leaves no change at all.
        var p = Self.monthly
        p.amounts.append(.init(at: at("2026-01-02T00:00:00Z"), sequence: 3, amount: 600))
        #expect(try p.mrrChanges().map(\.twelfths) == [7_200, 2_400, -9_600])
        p.cancelledAt = p.firstPaidAt
        #expect(try p.mrrChanges().isEmpty)
        // An amount set back to what it was is a change of zero, still kept.
        var back = Self.monthly
        back.amounts.append(.init(at: at("2026-03-05T00:00:00Z"), sequence: 9, amount: 800))
        #expect(try back.mrrChanges().map(\.twelfths) == [6_000, 3_600, 0, -9_600])
    }

    @Test("Random histories: the changes up to an instant add up to the MRR at it", arguments: [1, 2, 3] as [UInt64])
    func changesTelescope(seed: UInt64) throws {
        let timelines = RandomTimelines.make(seed: seed)
        var nonzero = 0
        for timeline in timelines {
            let changes = try timeline.mrrChanges()
            for day in stride(from: -1, through: 400, by: 3) {
                let instant = RandomTimelines.day(day)
                let sum = changes.filter { $0.at < instant }.reduce(0) { $0 + $1.twelfths }
                #expect(sum == (try timeline.mrrTwelfths(at: instant)), "\(timeline.pledgeID) day \(day)")
                if sum != 0 { nonzero += 1 }
            }
        }
        #expect(nonzero > 500)
    }

    @Test("Sums over many pledges: MRR per supporter, totals, past due")
    func sums() throws {
        var annual = Self.monthly
        annual.pledgeID = "p2"
        annual.cadence = .annual
        annual.amounts = [.init(at: at("2026-01-01T00:00:00Z"), sequence: 1, amount: 10_000, isCreation: true)]
        var other = Self.monthly
        other.pledgeID = "p3"
        other.supporterID = "s2"
        other.statusMoves = []
        let instant = at("2026-04-05T00:00:00Z")
        let twelfths = try PledgeTimeline.recurringTwelfths(of: [Self.monthly, annual, other], at: instant)
        #expect(twelfths == ["USD": ["s1": 9_600 + 10_000, "s2": 9_600]])
        #expect(try MRRTotal.totals(of: twelfths) == ["USD": MRRTotal(twelfths: 29_200, supporters: 2)])
        #expect(try MRRTotal.totals(of: ["EUR": ["s9": 0]]).isEmpty)
        let pastDue = try PledgeTimeline.pastDue(of: [Self.monthly, annual, other], at: instant)
        #expect(pastDue.count == 1)
        #expect(pastDue["USD"]?.pledges == 2)
        #expect(pastDue["USD"]?.twelfths == 19_600)
    }
}
