import Foundation
import Testing

@testable import PledgerCore

/// A recurring pledge moved between monthly and annual: each amount event carries the cadence in
/// force from it, so MRR weighs every amount by its own cadence, before and after the change.
@Suite("Cadence changes: MRR weighs each amount by the cadence in force with it")
struct CadenceChangeTests {
    /// Monthly 10.00 created 10-01, paid 10-05, annual 100.00 from 11-05 (its cadence now).
    static let moved = PledgeTimeline(
        pledgeID: "p1", supporterID: "s1", currency: "USD", cadence: .annual,
        firstPaidAt: at("2026-10-05T00:00:00Z"),
        amounts: [
            .init(at: at("2026-10-01T00:00:00Z"), sequence: 1, amount: 1_000, cadence: .monthly, isCreation: true),
            .init(at: at("2026-11-05T00:00:00Z"), sequence: 3, amount: 10_000, cadence: .annual),
        ],
        statusMoves: [.init(at: at("2026-10-05T00:00:00Z"), sequence: 2, to: .active)])

    @Test("MRR at and after the change: 10.00 a month until the instant, 100.00 / 12 just after")
    func mrrAroundTheChange() throws {
        let p = Self.moved
        #expect(try p.mrrTwelfths(at: at("2026-10-20T00:00:00Z")) == 12_000)
        #expect(try p.mrrTwelfths(at: at("2026-11-05T00:00:00Z")) == 12_000)
        #expect(try p.mrrTwelfths(at: at("2026-11-05T00:00:00.001Z")) == 10_000)
        #expect(p.cadence(before: at("2026-11-05T00:00:00Z")) == .monthly)
        #expect(p.cadence(before: at("2026-11-06T00:00:00Z")) == .annual)
        // Without its cadence, the creation event would read as the timeline's (annual): this is
        // why the store records the cadence on every amount event.
        var unrecorded = p
        unrecorded.amounts[0].cadence = nil
        #expect(try unrecorded.mrrTwelfths(at: at("2026-10-20T00:00:00Z")) == 1_000)
    }

    @Test("The change's twelfths: after − before (monthly 10 → annual 100 is − 2,000 twelfths)")
    func changeTwelfths() throws {
        let changes = try Self.moved.mrrChanges()
        #expect(changes.map(\.at) == [at("2026-10-05T00:00:00Z"), at("2026-11-05T00:00:00Z")])
        #expect(changes.map(\.twelfths) == [12_000, -2_000])
        #expect(changes.allSatisfy { $0.kind == .other })
        // A cadence change alone, at the same amount: annual 10.00 → monthly 10.00 is + 11,000.
        var up = Self.moved
        up.cadence = .monthly
        up.amounts = [
            .init(at: at("2026-10-01T00:00:00Z"), sequence: 1, amount: 1_000, cadence: .annual, isCreation: true),
            .init(at: at("2026-11-05T00:00:00Z"), sequence: 3, amount: 1_000, cadence: .monthly),
        ]
        #expect(try up.mrrChanges().map(\.twelfths) == [1_000, 11_000])
        // Cancelled later: the cancellation takes away what the new cadence counts.
        var cancelled = Self.moved
        cancelled.cancelledAt = at("2026-12-01T00:00:00Z")
        #expect(try cancelled.mrrChanges().map(\.twelfths) == [12_000, -2_000, -10_000])
        // Changed while paused: no change of its own; the resumption brings back the new cadence's twelfths.
        var paused = Self.moved
        paused.pauses = [.init(start: at("2026-10-20T00:00:00Z"), end: at("2026-11-20T00:00:00Z"))]
        let pausedChanges = try paused.mrrChanges()
        #expect(pausedChanges.map(\.twelfths) == [12_000, -12_000, 10_000])
        #expect(pausedChanges.map(\.kind) == [.other, .paused, .resumed])
    }

    @Test("The walk classifies the change as contraction: 10.00 − 8.33 = 1.67")
    func classifiedAsContraction() throws {
        let month = (start: at("2026-11-01T00:00:00Z"), end: at("2026-12-01T00:00:00Z"))
        let changes = try MRRWalk.changes(of: [Self.moved], in: month)
        #expect(changes.map(\.twelfths) == [-2_000])
        let movement = try MRRMovement.classify([
            SupporterMRR(supporterID: "s1", startTwelfths: 12_000, endTwelfths: 10_000, hadEarlier: true)
        ])
        #expect(movement.start == 1_000 && movement.end == 833)
        #expect(movement.contraction == 167 && movement.expansion == 0)
        #expect(movement.isBalanced)
    }

    @Test("Random histories with cadence changes: the changes telescope to the MRR", arguments: [4, 5] as [UInt64])
    func telescopes(seed: UInt64) throws {
        let timelines = RandomTimelines.make(seed: seed)
        var cadenceChanges = 0
        for timeline in timelines {
            let changes = try timeline.mrrChanges()
            for day in stride(from: -1, through: 400, by: 2) {
                let instant = RandomTimelines.day(day)
                let sum = changes.filter { $0.at < instant }.reduce(0) { $0 + $1.twelfths }
                #expect(sum == (try timeline.mrrTwelfths(at: instant)), "\(timeline.pledgeID) day \(day)")
            }
            let ordered = timeline.amounts.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            cadenceChanges +=
                zip(ordered, ordered.dropFirst()).filter {
                    timeline.cadence(of: $0) != timeline.cadence(of: $1)
                }.count
        }
        // The generator must move cadences, or the weighing by each event's cadence is not tried.
        #expect(cadenceChanges > 20)
    }

    static func pledge(_ cadence: Cadence, status: PledgeStatus = .active) -> Pledge {
        Pledge(
            id: "pl_test", supporterID: "sp_test", email: "reader@example.org", externalRef: nil,
            cadence: cadence, amount: Money(minorUnits: 1_000, currency: .usd), status: status,
            source: nil, processor: "stripe", processorRef: "sub_1", createdAt: at("2026-10-01T00:00:00Z"),
            firstPaidAt: at("2026-10-05T00:00:00Z"), cancelledAt: nil)
    }

    @Test(
        "Renewals run from the cadence change at the new cadence; a change before the first payment leaves it the start"
    )
    func renewalsFromTheChange() {
        var annual = Self.pledge(.annual)
        annual.cadenceSince = at("2026-11-05T00:00:00Z")
        #expect(annual.nextDue(after: at("2026-11-25T00:00:00Z")) == at("2027-11-05T00:00:00Z"))
        var monthly = Self.pledge(.monthly)
        monthly.cadenceSince = at("2026-12-31T00:00:00Z")
        #expect(monthly.nextDue(after: at("2027-01-10T00:00:00Z")) == at("2027-01-31T00:00:00Z"))
        #expect(monthly.nextDue(after: at("2027-02-01T00:00:00Z")) == at("2027-02-28T00:00:00Z"))
        var early = Self.pledge(.monthly)
        early.cadenceSince = at("2026-10-02T00:00:00Z")
        #expect(early.nextDue(after: at("2026-10-20T00:00:00Z")) == at("2026-11-05T00:00:00Z"))
    }

    @Test(
        "Terms change: monthly ↔ annual with or without a new amount; never to or from one-off; something must change")
    func checks() throws {
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: .usd) }
        try Self.pledge(.monthly).checkTermsChange(to: usd(10_000), cadence: .annual)
        try Self.pledge(.monthly).checkTermsChange(to: usd(1_000), cadence: .annual)
        try Self.pledge(.annual).checkTermsChange(to: usd(1_200), cadence: .annual)
        #expect(throws: PledgerError.self) {
            try Self.pledge(.monthly).checkTermsChange(to: usd(1_000), cadence: .oneOff)
        }
        do {
            try Self.pledge(.monthly).checkTermsChange(to: usd(1_000), cadence: .oneOff)
        } catch {
            #expect(error.field == "cadence" && error.code == "cadence_change_refused")
        }
        do {
            try Self.pledge(.oneOff, status: .completed).checkTermsChange(to: usd(1_000), cadence: .monthly)
            Issue.record("a one-off gift became recurring")
        } catch {
            #expect(error.field == "cadence")
        }
        do {
            try Self.pledge(.monthly, status: .cancelled).checkTermsChange(to: usd(1_000), cadence: .annual)
            Issue.record("a cancelled pledge changed")
        } catch {
            #expect(error.code == "amount_change_refused")
        }
        do {
            try Self.pledge(.annual).checkTermsChange(to: usd(1_000), cadence: .annual)
            Issue.record("nothing changed, and it passed")
        } catch {
            #expect(error.code == "amount_unchanged" && error.field == "amount")
        }
    }
}
