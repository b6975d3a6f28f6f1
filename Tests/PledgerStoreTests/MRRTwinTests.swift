import Foundation
import GRDB
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerStore
import PledgerStoreInterface
import PledgerTestSupport
import Testing

/// The MRR rules the report runs as SQL for speed, against their twins in Core: over generated
/// histories, every query must give what Core's ``PledgeTimeline`` and ``MRRWalk`` give over
/// the same pledges read back whole.
@Suite("MRR rules: SQL and Core agree")
struct MRRTwinTests {
    static let now = instant("2026-11-20T00:00:00Z")

    /// Every pledge with its amount events and status moves, read straight from the file.
    private func timelines(_ ledger: TemporaryLedger) throws -> [PledgeTimeline] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: ledger.path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var pauses: [String: [PledgeTimeline.Pause]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT pledge_id, paused_at, resumed_at FROM pledge_pauses") {
                pauses[row["pledge_id"], default: []].append(
                    .init(
                        start: Timestamp.date(millis: row["paused_at"]),
                        end: (row["resumed_at"] as Int64?).map { Timestamp.date(millis: $0) }))
            }
            var amounts: [String: [PledgeTimeline.AmountEvent]] = [:]
            var moves: [String: [PledgeTimeline.StatusMove]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT pledge_id, seq, kind, occurred_at, to_status, amount, cadence FROM pledge_events")
            {
                let at = Timestamp.date(millis: row["occurred_at"])
                switch row["kind"] as String {
                case "status":
                    let to = try #require(PledgeStatus(rawValue: row["to_status"]))
                    moves[row["pledge_id"], default: []].append(.init(at: at, sequence: row["seq"], to: to))
                default:
                    amounts[row["pledge_id"], default: []].append(
                        .init(
                            at: at, sequence: row["seq"], amount: row["amount"],
                            cadence: (row["cadence"] as String?).flatMap(Cadence.init(rawValue:)),
                            isCreation: (row["kind"] as String) == "created"))
                }
            }
            return try Row.fetchAll(
                db, sql: "SELECT id, supporter_id, currency, cadence, first_paid_at, cancelled_at FROM pledges"
            ).map { row in
                let id: String = row["id"]
                return PledgeTimeline(
                    pledgeID: id, supporterID: row["supporter_id"], currency: row["currency"],
                    cadence: try #require(Cadence(rawValue: row["cadence"])),
                    firstPaidAt: (row["first_paid_at"] as Int64?).map { Timestamp.date(millis: $0) },
                    cancelledAt: (row["cancelled_at"] as Int64?).map { Timestamp.date(millis: $0) },
                    amounts: amounts[id] ?? [], statusMoves: moves[id] ?? [], pauses: pauses[id] ?? [])
            }
        }
    }

    /// A seeded history written by the bulk generator (failed renewals and chargebacks included),
    /// or, on odd seeds, by the demo through the use cases.
    private func history(seed: UInt64) async throws -> TemporaryLedger {
        let ledger = try TemporaryLedger(now: Self.now)
        if seed % 2 == 0 {
            _ = try await BulkDemo(supporters: 400, months: 8, seed: seed).generate(into: ledger.app, now: Self.now)
        } else {
            _ = try await DemoHistory(supporters: 150, seed: seed).generate(into: ledger.app)
        }
        try await changeCadenceOfSome(ledger.app, seed: seed)
        try await pauseSome(ledger.app, seed: seed)
        return ledger
    }

    /// Moves every third live recurring pledge between monthly and annual through the use cases,
    /// dated after its first payment (some at its very instant), some at a new amount, some at
    /// the same; a few twice, the second time back, sometimes at the instant of the first.
    private func changeCadenceOfSome(_ app: Pledger, seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed &+ 7)
        let live =
            try await app.pledges.list(status: .active, limit: 5000)
            + (try await app.pledges.list(status: .pastDue, limit: 5000))
        let day: TimeInterval = 86_400
        for (index, pledge) in live.enumerated() where index % 3 == 1 && pledge.cadence.isRecurring {
            guard let paid = pledge.firstPaidAt else { continue }
            var at = paid.addingTimeInterval(rng.chance(10) ? 0 : Double(1 + rng.next(upTo: 200)) * day)
            var current = pledge
            for _ in 0..<(rng.chance(25) ? 2 : 1) {
                guard at < Self.now else { break }
                let cadence: Cadence = current.cadence == .monthly ? .annual : .monthly
                // About the same MRR at the other cadence, give or take a few units; or the same amount.
                let scaled = cadence == .annual ? current.amount.minorUnits * 10 : current.amount.minorUnits / 10
                let amount =
                    rng.chance(30)
                    ? nil
                    : Money(
                        minorUnits: max(500, scaled + Int64(rng.next(upTo: 5)) * 100),
                        currency: current.amount.currency)
                current = try await app.pledges.changeTerms(id: pledge.id, amount: amount, cadence: cadence, at: at)
                at = at.addingTimeInterval(rng.chance(30) ? 0 : Double(1 + rng.next(upTo: 60)) * day)
            }
        }
    }

    /// Pauses every fourth live recurring pledge, dated after its first payment, through the use
    /// cases: some resume by the job at their planned end, some early, some stay paused, some are
    /// cancelled while paused, and some pauses begin at the instant of the first payment or at
    /// the very instant a pause ends.
    private func pauseSome(_ app: Pledger, seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed &+ 99)
        let live =
            try await app.pledges.list(status: .active, limit: 5000)
            + (try await app.pledges.list(status: .pastDue, limit: 5000))
        let day: TimeInterval = 86_400
        for (index, pledge) in live.enumerated() where index % 4 == 0 && pledge.cadence.isRecurring {
            guard let paid = pledge.firstPaidAt else { continue }
            let start = paid.addingTimeInterval(rng.chance(10) ? 0 : Double(1 + rng.next(upTo: 200)) * day)
            guard start < Self.now else { continue }
            switch rng.next(upTo: 4) {
            case 0:
                _ = try await app.pledges.pause(id: pledge.id, length: .months(1 + Int(rng.next(upTo: 3))), at: start)
            case 1:
                _ = try await app.pledges.pause(id: pledge.id, length: nil, at: start)
                let end = start.addingTimeInterval(Double(rng.next(upTo: 50)) * day)
                if end < Self.now {
                    _ = try await app.pledges.resume(id: pledge.id, at: end)
                    // Back to back: paused again the instant it resumed.
                    if rng.chance(50) { _ = try await app.pledges.pause(id: pledge.id, length: nil, at: end) }
                }
            case 2:
                _ = try await app.pledges.pause(id: pledge.id, length: nil, at: start)
                let end = start.addingTimeInterval(Double(1 + rng.next(upTo: 40)) * day)
                if end < Self.now { _ = try await app.pledges.cancel(id: pledge.id, at: end) }
            default:
                _ = try await app.pledges.pause(id: pledge.id, length: nil, at: start)
            }
        }
        // The planned ends that have come, resumed by the job, each dated at its end.
        _ = try await app.jobs.run(at: Self.now)
    }

    /// The months of the year to `now`, in `zone`.
    private func months(_ zone: String) throws -> [(start: Date, end: Date)] {
        let timeZone = try parseTimeZone(zone)
        var month = ReportMonth(year: 2026, month: 11)
        var result: [(start: Date, end: Date)] = []
        for _ in 0..<13 {
            result.insert(month.interval(in: timeZone), at: 0)
            month = month.previous
        }
        return result
    }

    /// Consecutive intervals between `bounds` (sorted, duplicates dropped).
    private func intervals(_ bounds: [Date]) -> [(start: Date, end: Date)] {
        let sorted = Array(Set(bounds)).sorted()
        return zip(sorted, sorted.dropFirst()).map { (start: $0, end: $1) }
    }

    /// Intervals that start and end exactly at, and just after, instants where MRR or status moves:
    /// every rule's `<` and `<=` is tried at its edge.
    private func edges(_ timelines: [PledgeTimeline], count: Int = 40) -> [(start: Date, end: Date)] {
        let instants: [Date] = timelines.flatMap { timeline -> [Date] in
            let bounds: [Date] = [timeline.firstPaidAt, timeline.cancelledAt].compactMap { $0 }
            let pauses: [Date] = timeline.pauses.flatMap { pause -> [Date] in
                [pause.start] + [pause.end].compactMap { $0 }
            }
            return bounds + timeline.amounts.map(\.at) + timeline.statusMoves.filter { $0.to == .pastDue }.map(\.at)
                + pauses
        }
        let sample = stride(from: 0, to: instants.count, by: max(1, instants.count / count)).map { instants[$0] }
        return intervals(sample.flatMap { [$0, $0.addingTimeInterval(0.001)] })
    }

    @Test(
        "Each supporter's MRR and the totals at every month edge; each month's changes",
        arguments: [(2, "UTC"), (3, "UTC"), (4, "America/New_York"), (5, "Europe/Moscow")] as [(UInt64, String)])
    func recurringRevenue(seed: UInt64, zone: String) async throws {
        let ledger = try await history(seed: seed)
        let timelines = try timelines(ledger)
        let months = try months(zone) + edges(timelines)
        var moved = 0
        var pausing = 0
        // Cadence changes must be in the history, or weighing each event by its cadence is not tried.
        let cadenceChanges = timelines.map { timeline in
            let ordered = timeline.amounts.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            return zip(ordered, ordered.dropFirst()).filter { $0.cadence != $1.cadence }.count
        }.reduce(0, +)
        #expect(cadenceChanges > 20)
        for month in months {
            let sql = try await ledger.store.read { session in
                (
                    twelfths: try session.recurringTwelfths(at: month.end),
                    totals: try session.recurringTotals(at: month.end),
                    changes: try session.mrrChanges(in: month)
                )
            }
            let core = try PledgeTimeline.recurringTwelfths(of: timelines, at: month.end)
            #expect(sql.twelfths == core, "\(month.end)")
            #expect(sql.totals == (try MRRTotal.totals(of: core)), "\(month.end)")
            #expect(sql.changes == (try MRRWalk.changes(of: timelines, in: month)), "\(month.start)")
            moved += sql.changes.count
            pausing += sql.changes.filter { $0.pausedTwelfths > 0 || $0.resumedTwelfths > 0 }.count
            // The state the walk asks for, of a few supporters only.
            let some = Set(sql.changes.prefix(5).map(\.supporterID))
            let state = try await ledger.store.read { try $0.recurringTwelfths(at: month.start, supporters: some) }
            let direct = try PledgeTimeline.recurringTwelfths(
                of: timelines.filter { some.contains($0.supporterID) }, at: month.start)
            #expect(state == direct, "\(month.start)")
        }
        #expect(moved > 50)
        // Pauses and resumptions must be among the changes, or their branches are not tried.
        #expect(pausing > 10)
    }

    @Test("Past-due pledges and MRR at risk at the end of every day", arguments: [2, 6] as [UInt64])
    func atRisk(seed: UInt64) async throws {
        let ledger = try await history(seed: seed)
        let timelines = try timelines(ledger)
        // Renewals are retried within days, so days rather than months, to catch many pledges past due.
        let first = instant("2026-03-01T00:00:00Z")
        let dayStarts = (0..<260).map { day in
            (
                start: first.addingTimeInterval(Double(day) * 86_400),
                end: first.addingTimeInterval(Double(day + 1) * 86_400)
            )
        }
        let days = intervals(dayStarts.map(\.start) + edges(timelines, count: 100).map(\.start))
        let figures = try await ledger.store.read { try $0.monthFigures(days) }
        var atRisk = 0
        for (month, figures) in zip(days, figures) {
            let core = try PledgeTimeline.pastDue(of: timelines, at: month.end)
            #expect(Set(figures.atRisk.keys) == Set(core.keys), "\(month.end)")
            for (currency, sql) in figures.atRisk {
                #expect(sql.pledges == core[currency]?.pledges, "\(month.end) \(currency)")
                #expect(sql.twelfths == core[currency]?.twelfths, "\(month.end) \(currency)")
                atRisk += Int(sql.pledges)
            }
        }
        // Renewals must actually fail in the history, or the comparison proves nothing.
        #expect(atRisk > 30)
    }
}
