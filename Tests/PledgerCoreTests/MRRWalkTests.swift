import Foundation
import Testing

@testable import PledgerCore

/// The MRR walk: totals from a starting point, each supporter's changes applied month by month,
/// and each month classified as DESIGN "The monthly revenue report" defines the movement.
@Suite("MRR walk")
struct MRRWalkTests {
    static let start = at("2026-01-01T00:00:00Z")
    static let february = (start: at("2026-02-01T00:00:00Z"), end: at("2026-03-01T00:00:00Z"))

    static func change(_ id: String, _ twelfths: Int64, firstPaid: String? = nil, _ currency: String = "USD")
        -> MRRWalk.Change
    {
        MRRWalk.Change(
            supporterID: id, currency: currency, twelfths: twelfths,
            firstPaidAt: firstPaid.map { at("\($0)T00:00:00Z") })
    }

    /// At the start: Ann 5.00 a month (6000 twelfths), Bob 100.00 a year (10000), Cat 3.00 a month (3600).
    static let atStart: [String: [String: Int64]] = ["USD": ["ann": 6_000, "bob": 10_000, "cat": 3_600]]

    @Test("One month: new, reactivated, expansion, contraction, churned, and the steady rest")
    func oneMonth() throws {
        var walk = MRRWalk(start: Self.start, totals: try MRRTotal.totals(of: Self.atStart))
        var asked: [Set<String>] = []
        let months = try walk.walk(
            [
                Self.change("ann", 6_000, firstPaid: "2025-06-01"),  // doubles: expansion
                Self.change("bob", -10_000, firstPaid: "2025-03-01"),  // cancels: churned
                Self.change("dan", 2_400, firstPaid: "2026-02-10"),  // first ever: new
                Self.change("eve", 1_200, firstPaid: "2025-01-01"),  // back after a gap: reactivated
            ], monthStart: Self.february.start, detailed: true
        ) { supporters in
            asked.append(supporters)
            return Self.atStart.mapValues { $0.filter { supporters.contains($0.key) } }
        }
        // Cat did not move: never asked for, part of the steady sum.
        #expect(asked == [["ann", "bob", "dan", "eve"]])
        let usd = try #require(months["USD"])
        #expect(usd.steadyTwelfths == 3_600)
        #expect(usd.steadySupporters == 1)
        // Start 19600 twelfths → 1633.33 → 1633; end 6000 × 2 + 3600 + 2400 + 1200 = 19200 → 1600.
        #expect(
            try usd.movement()
                == MRRMovement(
                    start: 1633, new: 200, reactivated: 100, expansion: 500, contraction: 0, churned: 833, end: 1600))
        var counts = SupporterCounts()
        (counts.start, counts.new, counts.reactivated, counts.expanded, counts.churned, counts.end) = (3, 1, 1, 1, 1, 4)
        #expect(usd.counts == counts)
        #expect(walk.totals == ["USD": MRRTotal(twelfths: 19_200, supporters: 4)])
    }

    @Test("A supporter's state is asked for once, the first month they move, at the walk's start")
    func stateAskedOnce() throws {
        var walk = MRRWalk(start: Self.start, totals: try MRRTotal.totals(of: Self.atStart))
        var asked: [Set<String>] = []
        let fetch = { (supporters: Set<String>) -> [String: [String: Int64]] in
            asked.append(supporters)
            return Self.atStart.mapValues { $0.filter { supporters.contains($0.key) } }
        }
        _ = try walk.walk(
            [Self.change("ann", -1_200)], monthStart: Self.february.start, detailed: true, mrrAtStart: fetch)
        let march = try walk.walk(
            [Self.change("ann", -4_800), Self.change("cat", 1_200)], monthStart: Self.february.end, detailed: true,
            mrrAtStart: fetch)
        #expect(asked == [["ann"], ["cat"]])
        // Ann's March starts where February left her (4800), not at the walk's start.
        let ann = try #require(march["USD"]?.changed.first { $0.supporterID == "ann" })
        #expect((ann.startTwelfths, ann.endTwelfths, ann.movement) == (4_800, 0, .churned))
        #expect(walk.totals == ["USD": MRRTotal(twelfths: 10_000 + 4_800, supporters: 2)])
    }

    @Test("A month not detailed moves the totals and lists no one")
    func notDetailed() throws {
        var walk = MRRWalk(start: Self.start, totals: try MRRTotal.totals(of: Self.atStart))
        let months = try walk.walk(
            [Self.change("ann", 6_000), Self.change("zed", 1_200, "EUR")], monthStart: Self.february.start,
            detailed: false
        ) { _ in Self.atStart }
        #expect(months["USD"] == MonthMRR(changed: [], steadyTwelfths: 25_600, steadySupporters: 3))
        #expect(months["EUR"] == MonthMRR(changed: [], steadyTwelfths: 1_200, steadySupporters: 1))
    }

    @Test("A supporter who moves and comes back is listed, unchanged; a currency emptied still reports its churn")
    func zeroAndEmptied() throws {
        var walk = MRRWalk(start: Self.start, totals: ["EUR": MRRTotal(twelfths: 1_200, supporters: 1)])
        let months = try walk.walk(
            [Self.change("ann", 0, "USD"), Self.change("zed", -1_200, "EUR")], monthStart: Self.february.start,
            detailed: true
        ) { _ in ["EUR": ["zed": 1_200]] }
        // Ann had nothing and has nothing in USD: no one had USD MRR at either edge.
        #expect(months["USD"] == nil)
        let eur = try #require(months["EUR"])
        #expect(
            try eur.movement()
                == MRRMovement(start: 100, new: 0, reactivated: 0, expansion: 0, contraction: 0, churned: 100, end: 0))
        #expect(walk.totals.isEmpty)
        let next = try walk.walk([], monthStart: Self.february.end, detailed: true) { _ in [:] }
        #expect(next.isEmpty)
    }

    @Test("A total that would overflow is refused")
    func overflow() throws {
        var walk = MRRWalk(start: Self.start, totals: ["USD": MRRTotal(twelfths: Int64.max - 10, supporters: 1)])
        let error = #expect(throws: PledgerError.self) {
            _ = try walk.walk([Self.change("new", 11)], monthStart: Self.february.start, detailed: true) { _ in [:] }
        }
        #expect(error?.code == "amount_overflow")
    }

    @Test("A walk from a checkpoint before the first month walks the gap first")
    func intervals() {
        let months = [Self.february, (start: Self.february.end, end: at("2026-04-01T00:00:00Z"))]
        let from = MRRWalk.intervals(from: Self.start, covering: months)
        #expect(from.map(\.start) == [Self.start, Self.february.start, Self.february.end])
        #expect(from.map(\.end) == [Self.february.start, Self.february.end, at("2026-04-01T00:00:00Z")])
        #expect(MRRWalk.intervals(from: Self.february.start, covering: months).count == 2)
    }

    /// Walks `months` months of `timelines` from `first`, with totals and state read directly at it.
    private func walked(_ timelines: [PledgeTimeline], from first: Int, months: Int) throws -> [[String: MonthMRR]] {
        let start = RandomTimelines.month(first).start
        let atStart = try PledgeTimeline.recurringTwelfths(of: timelines, at: start)
        var walk = MRRWalk(start: start, totals: try MRRTotal.totals(of: atStart))
        var result: [[String: MonthMRR]] = []
        for index in first..<months {
            let month = RandomTimelines.month(index)
            result.append(
                try walk.walk(try MRRWalk.changes(of: timelines, in: month), monthStart: month.start, detailed: true) {
                    supporters in atStart.mapValues { $0.filter { supporters.contains($0.key) } }
                })
            #expect(
                walk.totals
                    == (try MRRTotal.totals(of: try PledgeTimeline.recurringTwelfths(of: timelines, at: month.end))))
        }
        return result
    }

    @Test(
        "Random histories: each month walked equals the movement of MRR read at its two edges",
        arguments: [11, 12, 13] as [UInt64])
    func randomHistories(seed: UInt64) throws {
        let timelines = RandomTimelines.make(seed: seed)
        let months = 13
        let fromStart = try walked(timelines, from: 0, months: months)
        // From a checkpoint in the middle, the later months come out the same.
        let fromMiddle = try walked(timelines, from: 6, months: months)
        var movements = 0
        for index in 0..<months {
            let month = RandomTimelines.month(index)
            let direct = try RandomTimelines.supporters(timelines, month: month)
            #expect(Set(fromStart[index].keys) == Set(direct.keys), "month \(index)")
            for (currency, supporters) in direct {
                let figures = try #require(fromStart[index][currency])
                #expect(try figures.movement() == MRRMovement.classify(supporters), "month \(index) \(currency)")
                #expect(figures.counts == SupporterCounts(supporters), "month \(index) \(currency)")
                if index >= 6 {
                    #expect(try fromMiddle[index - 6][currency]?.movement() == figures.movement())
                    #expect(fromMiddle[index - 6][currency]?.counts == figures.counts)
                }
                movements += supporters.filter { $0.movement != .unchanged }.count
            }
        }
        // The history must move, every way: a vacuous comparison would prove nothing.
        #expect(movements > 60)
        let all = try (0..<months).flatMap { index in
            try RandomTimelines.supporters(timelines, month: RandomTimelines.month(index)).values.flatMap { $0 }
        }
        for kind in [SupporterMRR.Movement.new, .reactivated, .expansion, .contraction, .churned] {
            #expect(all.contains { $0.movement == kind }, "\(kind)")
        }
    }
}
