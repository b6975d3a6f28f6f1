import Foundation
import Testing

@testable import PledgerCore

/// `PledgeStatus` moves and parsing, `Cadence` parsing: DESIGN "The domain", pledge states.
@Suite("Pledge state machine")
struct PledgeStateMachineTests {

    /// Runs `body` and returns the PledgerError it threw, recording an issue when it did not throw.

    // MARK: The table of DESIGN

    /// The allowed moves, written out from DESIGN; every (from, to, cadence) not here is refused.
    static let allowed: Set<String> = [
        "pending→active/monthly", "pending→active/annual",
        "pending→completed/one_off",
        "active→past_due/monthly", "active→past_due/annual",
        // Back to active on payment; `active` means "recurring, paid", so one-off pledges never get there.
        "past_due→active/monthly", "past_due→active/annual",
        "pending→cancelled/one_off", "pending→cancelled/monthly", "pending→cancelled/annual",
        "active→cancelled/one_off", "active→cancelled/monthly", "active→cancelled/annual",
        "past_due→cancelled/one_off", "past_due→cancelled/monthly", "past_due→cancelled/annual",
        "pending→expired/one_off", "pending→expired/monthly", "pending→expired/annual",
        // A recurring pledge pauses (paid or past due) and comes back, or ends while paused.
        "active→paused/monthly", "active→paused/annual", "past_due→paused/monthly", "past_due→paused/annual",
        "paused→active/monthly", "paused→active/annual", "paused→cancelled/monthly", "paused→cancelled/annual",
    ]

    static func key(_ from: PledgeStatus, _ to: PledgeStatus, _ cadence: Cadence) -> String {
        "\(from.rawValue)→\(to.rawValue)/\(cadence.rawValue)"
    }

    /// The table itself has 27 moves, so a typo in it cannot silently allow nothing.
    @Test func tableHasTwentySevenMoves() {
        #expect(Self.allowed.count == 27)
    }

    /// All 7 × 7 × 3 combinations, self-moves included.
    @Test(arguments: PledgeStatus.allCases, Cadence.allCases)
    func canMoveMatchesTheTable(from: PledgeStatus, cadence: Cadence) {
        for to in PledgeStatus.allCases {
            let expected = Self.allowed.contains(Self.key(from, to, cadence))
            #expect(
                from.canMove(to: to, cadence: cadence) == expected,
                "\(Self.key(from, to, cadence)) should be \(expected ? "allowed" : "refused")"
            )
        }
    }

    /// Terminal states go nowhere.
    @Test(arguments: [PledgeStatus.completed, .cancelled, .expired])
    func terminalStatesHaveNoMoves(from: PledgeStatus) {
        for to in PledgeStatus.allCases {
            for cadence in Cadence.allCases {
                #expect(!from.canMove(to: to, cadence: cadence), "\(Self.key(from, to, cadence))")
            }
        }
    }

    // MARK: move(to:cadence:pledgeID:)

    @Test func moveReturnsTheNewStateWhenAllowed() throws {
        #expect(try PledgeStatus.pending.move(to: .active, cadence: .monthly, pledgeID: "pl_1") == .active)
        #expect(try PledgeStatus.pending.move(to: .completed, cadence: .oneOff, pledgeID: "pl_1") == .completed)
        #expect(try PledgeStatus.pastDue.move(to: .cancelled, cadence: .annual, pledgeID: "pl_1") == .cancelled)
    }

    /// A refused move is `refused` / `invalid_transition` and names both states and the pledge.
    @Test(arguments: [
        (PledgeStatus.completed, PledgeStatus.active, Cadence.oneOff),
        (.pending, .active, .oneOff),
        (.pending, .completed, .monthly),
        (.cancelled, .active, .monthly),
        (.expired, .pending, .annual),
        (.active, .active, .monthly),
        (.active, .pending, .annual),
        (.pastDue, .completed, .monthly),
    ])
    func refusedMoveNamesBothStatesAndThePledge(from: PledgeStatus, to: PledgeStatus, cadence: Cadence) throws {
        let error = try #require(
            thrown { () throws(PledgerError) in
                try from.move(to: to, cadence: cadence, pledgeID: "pl_7xk2m9q")
            })
        #expect(error.kind == .refused)
        #expect(error.code == "invalid_transition")
        #expect(error.message.contains(from.rawValue))
        #expect(error.message.contains(to.rawValue))
        #expect(error.message.contains("pl_7xk2m9q"))
    }

    /// Both names appear in order: "from X to Y", with the raw (snake_case) names.
    @Test func refusalMessageSaysFromAndTo() {
        #expect {
            try PledgeStatus.pastDue.move(to: .completed, cadence: .monthly, pledgeID: "pl_9")
        } throws: { error in
            (error as? PledgerError)?.message.contains("from past_due to completed") == true
        }
    }

    // MARK: afterPayment(cadence:)

    @Test(arguments: [
        (PledgeStatus.pending, Cadence.monthly, PledgeStatus.active as PledgeStatus?),
        (.pending, .annual, .active),
        (.pending, .oneOff, .completed),
        (.pastDue, .monthly, .active),
        (.pastDue, .annual, .active),
        (.active, .monthly, nil),
        (.active, .annual, nil),
        (.completed, .oneOff, nil),
        (.cancelled, .monthly, nil),
        (.cancelled, .oneOff, nil),
        (.expired, .monthly, nil),
        (.expired, .oneOff, nil),
        (.paused, .monthly, .active),
        (.paused, .annual, .active),
    ])
    func afterPayment(from: PledgeStatus, cadence: Cadence, expected: PledgeStatus?) {
        #expect(from.afterPayment(cadence: cadence) == expected)
    }

    /// Whatever a payment moves a pledge to is a move the state machine allows.
    @Test(arguments: PledgeStatus.allCases, [Cadence.monthly, .annual])
    func afterPaymentIsAnAllowedMoveForRecurring(from: PledgeStatus, cadence: Cadence) {
        if let next = from.afterPayment(cadence: cadence) {
            #expect(from.canMove(to: next, cadence: cadence))
        }
    }

    @Test(arguments: PledgeStatus.allCases)
    func isLiveOnlyForActiveAndPastDue(status: PledgeStatus) {
        #expect(status.isLive == (status == .active || status == .pastDue))
    }

    // MARK: Parsing

    @Test(arguments: [
        ("one_off", Cadence.oneOff), ("one-off", .oneOff), ("oneoff", .oneOff), ("once", .oneOff),
        ("monthly", .monthly), ("Monthly", .monthly), (" MONTHLY ", .monthly),
        ("annual", .annual), ("yearly", .annual), ("Annual", .annual),
    ])
    func cadenceParsesGoodInput(text: String, expected: Cadence) throws {
        #expect(try Cadence.parse(text) == expected)
    }

    @Test(arguments: ["", " ", "weekly", "month", "monthly!", "one off", "annually", "1"])
    func cadenceRefusesBadInputNamingTheField(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try Cadence.parse(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "cadence")
        #expect(error.code == "invalid_cadence")
        let custom = try #require(thrown { () throws(PledgerError) in try Cadence.parse(text, field: "plan") })
        #expect(custom.field == "plan")
    }

    @Test func cadenceIncomeAccounts() {
        #expect(Cadence.oneOff.incomeAccount == "income:donations:one_off")
        #expect(Cadence.monthly.incomeAccount == "income:donations:monthly")
        #expect(Cadence.annual.incomeAccount == "income:donations:annual")
        #expect(Cadence.allCases.filter(\.isRecurring) == [.monthly, .annual])
    }

    @Test(arguments: [
        ("pending", PledgeStatus.pending), ("active", .active), ("completed", .completed),
        ("past_due", .pastDue), ("cancelled", .cancelled), ("expired", .expired),
        ("ACTIVE", .active), (" Past_Due ", .pastDue),
    ])
    func statusParsesGoodInput(text: String, expected: PledgeStatus) throws {
        #expect(try PledgeStatus.parse(text) == expected)
    }

    @Test(arguments: ["", "pastDue", "past-due", "canceled", "paid", "act ive", "pastdue"])
    func statusRefusesBadInputNamingTheField(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try PledgeStatus.parse(text) })
        #expect(error.kind == .invalid)
        #expect(error.field == "status")
        #expect(error.message.contains("past_due"))  // lists the valid names
    }
}
