import Foundation
import PledgerCore

/// Seeded random pledge histories for the MRR rules' property tests: several recurring pledges
/// per supporter in two currencies, one-off gifts among them, amounts and cadences (monthly ↔
/// annual) changed before, at and after the first payment, changes recorded out of time order, renewals that fail and recover, pauses
/// (open, ended, back to back, some beginning on the day of the first payment, some cancelled
/// during), and cancellations before, at and after the first payment. Instants fall on whole days, so many
/// land exactly on a month edge or on each other.
struct RandomTimelines {
    /// 30-day months from `origin`.
    static let origin = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
    static let day: TimeInterval = 86_400

    static func month(_ index: Int) -> (start: Date, end: Date) {
        (day(30 * index), day(30 * (index + 1)))
    }

    static func day(_ n: Int) -> Date {
        origin.addingTimeInterval(Double(n) * day)
    }

    /// `supporters` readers' pledges over `months` months.
    static func make(seed: UInt64, supporters: Int = 40, months: Int = 12) -> [PledgeTimeline] {
        var rng = SeededGenerator(seed: seed)
        // Cadences are drawn from their own stream, so the rest of each history is what it was
        // before pledges could change cadence.
        var cadences = SeededGenerator(seed: seed &+ 1_000)
        var sequence: Int64 = 0
        func next() -> Int64 {
            sequence += 1
            return sequence
        }
        let span = UInt64(30 * months)
        var timelines: [PledgeTimeline] = []
        for reader in 0..<supporters {
            for index in 0..<(1 + Int(rng.next(upTo: 3))) {
                let cadence: Cadence = rng.chance(10) ? .oneOff : rng.chance(70) ? .monthly : .annual
                let created = Int(rng.next(upTo: span))
                // A recurring pledge may have been created at the other cadence (its cadence now is
                // the timeline's), or carry no cadence on its events (nil: the timeline's).
                var timeline = PledgeTimeline(
                    pledgeID: "p\(reader)-\(index)", supporterID: "s\(reader)",
                    currency: rng.chance(25) ? "EUR" : "USD",
                    cadence: cadence,
                    amounts: [
                        .init(
                            at: day(created), sequence: next(), amount: amount(&rng),
                            cadence: cadence.isRecurring ? recurringCadence(&cadences) : nil, isCreation: true)
                    ])
                let paid = rng.chance(85) ? created + Int(rng.next(upTo: 10)) : nil
                timeline.firstPaidAt = paid.map(day)
                if let paid {
                    timeline.statusMoves.append(.init(at: day(paid), sequence: next(), to: .active))
                }
                // Amount changes, some at the very day of the first payment, entered in either order.
                var changes = (0..<rng.next(upTo: 4)).map { _ in
                    rng.chance(20) ? (paid ?? created) : created + Int(rng.next(upTo: span / 2))
                }
                if rng.chance(40) { changes.reverse() }
                // Some change the cadence (monthly ↔ annual), some at the same amount.
                var last = timeline.amounts[0].amount
                for at in changes {
                    let cadence = cadence.isRecurring ? recurringCadence(&cadences) : nil
                    let drawn = amount(&rng)
                    last = cadences.chance(25) && cadence != nil ? last : drawn
                    timeline.amounts.append(.init(at: day(at), sequence: next(), amount: last, cadence: cadence))
                }
                if let paid, cadence.isRecurring, rng.chance(30) {
                    let failed = paid + 30 + Int(rng.next(upTo: 60))
                    timeline.statusMoves.append(.init(at: day(failed), sequence: next(), to: .pastDue))
                    if rng.chance(50) {
                        timeline.statusMoves.append(
                            .init(at: day(failed + Int(rng.next(upTo: 40))), sequence: next(), to: .active))
                    }
                }
                // Pauses: some end, some run on; a second one may begin the very day the first ends.
                if let paid, cadence.isRecurring, rng.chance(35) {
                    var start = paid + Int(rng.next(upTo: span / 2)) + (rng.chance(15) ? 0 : 1)
                    for _ in 0..<(1 + Int(rng.next(upTo: 2))) {
                        let end: Int? = rng.chance(25) ? nil : start + Int(rng.next(upTo: 90))
                        timeline.pauses.append(.init(start: day(start), end: end.map(day)))
                        guard let end else { break }
                        start = end + (rng.chance(30) ? 0 : Int(rng.next(upTo: 60)))
                    }
                }
                if rng.chance(50) {
                    let cancelled = (paid ?? created) + Int(rng.next(upTo: span)) - (rng.chance(10) ? 5 : 0)
                    timeline.cancelledAt = day(cancelled)
                    timeline.statusMoves.append(.init(at: day(cancelled), sequence: next(), to: .cancelled))
                }
                timelines.append(timeline)
            }
        }
        return timelines
    }

    /// Monthly or annual, or nil (the timeline's cadence) a third of the time.
    private static func recurringCadence(_ rng: inout SeededGenerator) -> Cadence? {
        rng.chance(33) ? nil : rng.chance(50) ? .monthly : .annual
    }

    private static func amount(_ rng: inout SeededGenerator) -> Int64 {
        Int64(200 + rng.next(upTo: 40) * 25)
    }

    /// Each supporter's MRR at a month's two edges, read directly, as ``MRRMovement/classify(_:)``
    /// takes them: per currency, everyone with MRR at either edge.
    static func supporters(_ timelines: [PledgeTimeline], month: (start: Date, end: Date)) throws -> [String:
        [SupporterMRR]]
    {
        let start = try PledgeTimeline.recurringTwelfths(of: timelines, at: month.start)
        let end = try PledgeTimeline.recurringTwelfths(of: timelines, at: month.end)
        // What paused and resumed in the month cannot be read at the edges: it is summed from
        // each pledge's pauses and resumptions.
        var paused: [String: Int64] = [:]
        var resumed: [String: Int64] = [:]
        for timeline in timelines {
            let key = timeline.currency + "/" + timeline.supporterID
            guard let change = try timeline.change(in: month), change.paused != 0 || change.resumed != 0 else {
                continue
            }
            paused[key, default: 0] += change.paused
            resumed[key, default: 0] += change.resumed
        }
        var result: [String: [SupporterMRR]] = [:]
        let moved = Set(paused.keys).union(resumed.keys)
        for currency in Set(start.keys).union(end.keys).union(moved.map { String($0.prefix(3)) }) {
            let before = start[currency] ?? [:]
            let after = end[currency] ?? [:]
            // Everyone with MRR at an edge, and everyone who paused or resumed in between.
            let between = moved.filter { $0.hasPrefix(currency + "/") }.map { String($0.dropFirst(4)) }
            result[currency] = Set(before.keys).union(after.keys).union(between).sorted().map { id in
                let earlier = timelines.contains {
                    $0.supporterID == id && $0.currency == currency && $0.cadence.isRecurring
                        && $0.firstPaidAt.map { $0 < month.start } ?? false
                }
                return SupporterMRR(
                    supporterID: id, startTwelfths: before[id] ?? 0, endTwelfths: after[id] ?? 0, hadEarlier: earlier,
                    pausedTwelfths: paused[currency + "/" + id] ?? 0, resumedTwelfths: resumed[currency + "/" + id] ?? 0
                )
            }
        }
        return result
    }
}
