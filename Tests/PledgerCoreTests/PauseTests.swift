import Foundation
import Testing

@testable import PledgerCore

/// The paused state: its moves, when a paused pledge counts towards MRR, and how the report
/// tells a pause from churn (issue 15: "A pause is not churn").
@Suite("Paused pledges")
struct PauseTests {
    /// A monthly 5.00 pledge paid 01-02, paused 02-10, raised to 8.00 on 03-01 while paused,
    /// resumed 04-10.
    static let paused = PledgeTimeline(
        pledgeID: "p1", supporterID: "s1", currency: "USD", cadence: .monthly,
        firstPaidAt: at("2026-01-02T00:00:00Z"),
        amounts: [
            .init(at: at("2026-01-01T00:00:00Z"), sequence: 1, amount: 500, isCreation: true),
            .init(at: at("2026-03-01T00:00:00Z"), sequence: 5, amount: 800),
        ],
        pauses: [.init(start: at("2026-02-10T00:00:00Z"), end: at("2026-04-10T00:00:00Z"))])

    @Test("Only an active or past-due recurring pledge pauses; a paused one resumes or is cancelled")
    func moves() {
        #expect(PledgeStatus.active.canMove(to: .paused, cadence: .monthly))
        #expect(PledgeStatus.pastDue.canMove(to: .paused, cadence: .annual))
        #expect(!PledgeStatus.active.canMove(to: .paused, cadence: .oneOff))
        #expect(!PledgeStatus.pending.canMove(to: .paused, cadence: .monthly))
        #expect(!PledgeStatus.cancelled.canMove(to: .paused, cadence: .monthly))
        #expect(PledgeStatus.paused.canMove(to: .active, cadence: .monthly))
        #expect(PledgeStatus.paused.canMove(to: .cancelled, cadence: .monthly))
        #expect(!PledgeStatus.paused.canMove(to: .pastDue, cadence: .monthly))
        #expect(!PledgeStatus.paused.canMove(to: .expired, cadence: .monthly))
        #expect(!PledgeStatus.paused.isLive)
        #expect(PledgeStatus.paused.isOpen)
        #expect(throws: PledgerError.self) {
            try PledgeStatus.pending.move(to: .paused, cadence: .monthly, pledgeID: ID("pl_1"))
        }
    }

    @Test("A paused pledge does not count: from just after the pause to its end, both included")
    func counts() throws {
        let p = Self.paused
        #expect(try p.mrrTwelfths(at: at("2026-02-10T00:00:00Z")) == 6_000)
        #expect(try p.mrrTwelfths(at: at("2026-02-10T00:00:00.001Z")) == 0)
        #expect(try p.mrrTwelfths(at: at("2026-04-10T00:00:00Z")) == 0)
        // Back at the amount in force then, the raise made while paused included.
        #expect(try p.mrrTwelfths(at: at("2026-04-10T00:00:00.001Z")) == 9_600)
        #expect(p.isPaused(at: at("2026-03-01T00:00:00Z")))
        #expect(!p.isPaused(at: at("2026-04-11T00:00:00Z")))
    }

    @Test("The changes: − at the pause and + at the resumption, apart from the rest; a raise while paused is none")
    func changes() throws {
        let changes = try Self.paused.mrrChanges()
        #expect(changes.map(\.at) == ["2026-01-02", "2026-02-10", "2026-04-10"].map { at("\($0)T00:00:00Z") })
        #expect(changes.map(\.twelfths) == [6_000, -6_000, 9_600])
        #expect(changes.map(\.kind) == [.other, .paused, .resumed])
        // Cancelled while paused: its MRR left at the pause, so the cancellation moves nothing.
        var cancelled = Self.paused
        cancelled.pauses = [.init(start: at("2026-02-10T00:00:00Z"), end: at("2026-03-15T00:00:00Z"))]
        cancelled.cancelledAt = at("2026-03-15T00:00:00Z")
        #expect(try cancelled.mrrChanges().map(\.twelfths) == [6_000, -6_000])
        // Cancelled at the very instant it would pause: churn, not a pause.
        var churned = Self.paused
        churned.pauses = [.init(start: at("2026-02-10T00:00:00Z"))]
        churned.cancelledAt = at("2026-02-10T00:00:00Z")
        #expect(try churned.mrrChanges().map(\.kind) == [.other, .other])
        #expect(try churned.mrrChanges().map(\.twelfths) == [6_000, -6_000])
        // Paused again the instant it resumed: nothing moves at that instant.
        var twice = Self.paused
        twice.pauses.append(.init(start: at("2026-04-10T00:00:00Z"), end: at("2026-05-01T00:00:00Z")))
        #expect(try twice.mrrChanges().map(\.at).last == at("2026-05-01T00:00:00Z"))
        #expect(try twice.mrrChanges().count == 3)
    }

    @Test("A month where the supporter's only pledge paused: − paused, no churn")
    func pauseIsNotChurn() throws {
        let s = SupporterMRR(
            supporterID: "a", startTwelfths: 6_000, endTwelfths: 0, hadEarlier: true, pausedTwelfths: 6_000)
        #expect(s.movement == .unchanged)
        let m = try MRRMovement.classify([s])
        #expect(m.paused == 500)
        #expect(m.churned == 0)
        #expect(m.isBalanced)
        var counts = SupporterCounts()
        counts.add(s)
        #expect(counts.paused == 1 && counts.churned == 0 && counts.start == 1 && counts.end == 0)
    }

    @Test("Resumed and raised in one month: + resumed at the old amount, expansion for the raise")
    func resumedAndRaised() throws {
        let s = SupporterMRR(
            supporterID: "a", startTwelfths: 0, endTwelfths: 9_600, hadEarlier: true, resumedTwelfths: 6_000)
        #expect(s.movement == .expansion)
        let m = try MRRMovement.classify([s])
        #expect(m.resumed == 500 && m.expansion == 300 && m.reactivated == 0 && m.new == 0)
        #expect(m.isBalanced)
        var counts = SupporterCounts()
        counts.add(s)
        #expect(counts.resumed == 1 && counts.expanded == 1 && counts.reactivated == 0)
    }

    @Test("Resumed, then cancelled in the month: + resumed, then churned")
    func resumedThenChurned() throws {
        let s = SupporterMRR(
            supporterID: "a", startTwelfths: 0, endTwelfths: 0, hadEarlier: true, resumedTwelfths: 6_000)
        let m = try MRRMovement.classify([s])
        #expect(m.resumed == 500 && m.churned == 500 && m.end == 0)
        #expect(m.isBalanced)
    }

    @Test("Began and paused within the month: nothing the month can show, and still balanced")
    func beganAndPaused() throws {
        let s = SupporterMRR(
            supporterID: "a", startTwelfths: 0, endTwelfths: 0, hadEarlier: false, pausedTwelfths: 6_000)
        let m = try MRRMovement.classify([s])
        #expect(m == MRRMovement(start: 0, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 0))
    }

    @Test(
        "Random histories with pauses: every month's movement balances to the cent", arguments: [4, 5, 6] as [UInt64])
    func balances(seed: UInt64) throws {
        let timelines = RandomTimelines.make(seed: seed, supporters: 80)
        var paused: Int64 = 0
        var resumed: Int64 = 0
        for index in 0..<12 {
            let month = RandomTimelines.month(index)
            let start = try PledgeTimeline.recurringTwelfths(of: timelines, at: month.start)
            var walk = MRRWalk(start: month.start, totals: try MRRTotal.totals(of: start))
            let months = try walk.walk(
                try MRRWalk.changes(of: timelines, in: month), monthStart: month.start, detailed: true
            ) { ids in
                try PledgeTimeline.recurringTwelfths(
                    of: timelines.filter { ids.contains($0.supporterID) }, at: month.start)
            }
            let end = try PledgeTimeline.recurringTwelfths(of: timelines, at: month.end)
            for (currency, figures) in months {
                let m = try figures.movement()
                #expect(m.isBalanced, "month \(index) \(currency)")
                let expectedEnd = roundHalfEven(end[currency, default: [:]].values.reduce(0, +), dividedBy: 12)
                #expect(m.end == expectedEnd, "month \(index) \(currency)")
                paused += m.paused
                resumed += m.resumed
            }
        }
        // The histories must pause and resume, or the test proves nothing.
        #expect(paused > 0 && resumed > 0)
    }

    @Test("A pledge that began and paused within the month moves nothing; the supporter's other pledge is untouched")
    func pauseHeldPerPledge() throws {
        // A: 5.00 monthly since January. B: 20.00 monthly, first paid 11-03, paused 11-20.
        let a = PledgeTimeline(
            pledgeID: "a", supporterID: "s", currency: "USD", cadence: .monthly,
            firstPaidAt: at("2026-01-05T00:00:00Z"),
            amounts: [.init(at: at("2026-01-05T00:00:00Z"), sequence: 1, amount: 500, isCreation: true)])
        let b = PledgeTimeline(
            pledgeID: "b", supporterID: "s", currency: "USD", cadence: .monthly,
            firstPaidAt: at("2026-11-03T00:00:00Z"),
            amounts: [.init(at: at("2026-11-03T00:00:00Z"), sequence: 2, amount: 2_000, isCreation: true)],
            pauses: [.init(start: at("2026-11-20T00:00:00Z"))])
        let november = (start: at("2026-11-01T00:00:00Z"), end: at("2026-12-01T00:00:00Z"))
        let changeB = try #require(try b.change(in: november))
        #expect(changeB.twelfths == 0 && changeB.paused == 0 && changeB.resumed == 0)
        let changes = try MRRWalk.changes(of: [a, b], in: november)
        var walk = MRRWalk(start: november.start, totals: try MRRTotal.totals(of: ["USD": ["s": 6_000]]))
        let month = try #require(
            try walk.walk(changes, monthStart: november.start, detailed: true) { _ in ["USD": ["s": 6_000]] }["USD"])
        let m = try month.movement()
        #expect(
            m == MRRMovement(start: 500, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 0, end: 500))
        #expect(month.counts.paused == 0 && month.counts.reactivated == 0)
        // Raised and then paused in the same month: only what it had at the start is paused.
        var raised = a
        raised.amounts.append(.init(at: at("2026-11-10T00:00:00Z"), sequence: 3, amount: 800))
        raised.pauses = [.init(start: at("2026-11-20T00:00:00Z"))]
        let held = try #require(try raised.change(in: november))
        #expect(held.paused == 6_000 && held.twelfths == -6_000)
    }

    @Test("A month whose only move was a resumption and a churn still shows")
    func resumedThenChurnedShows() throws {
        let month = MonthMRR(
            changed: [
                SupporterMRR(
                    supporterID: "a", startTwelfths: 0, endTwelfths: 0, hadEarlier: true, resumedTwelfths: 12_000)
            ])
        #expect(!month.isEmpty)
        let m = try month.movement()
        #expect(m.resumed == 1_000 && m.churned == 1_000)
    }

    @Test("A pause that ends the instant it begins is empty: paused again at that instant, the MRR leaves once")
    func emptyPause() throws {
        var p = Self.paused
        let t = at("2026-02-10T00:00:00Z")
        p.pauses = [.init(start: t, end: t), .init(start: t)]
        let changes = try p.mrrChanges()
        #expect(changes.filter { $0.at == t }.map(\.twelfths) == [-6_000])
        #expect(try p.mrrTwelfths(at: t.addingTimeInterval(0.001)) == 0)
        // Alone, it moves nothing; an amount changed at that instant still counts.
        var alone = Self.paused
        alone.pauses = [.init(start: at("2026-03-01T00:00:00Z"), end: at("2026-03-01T00:00:00Z"))]
        #expect(try alone.mrrChanges().map(\.twelfths) == [6_000, 3_600])
        #expect(try alone.mrrChanges().allSatisfy { $0.kind == .other })
    }
}
