import PledgerCore
import Testing

/// The chart of accounts: which rule decides, and what is refused.
@Suite("Chart of accounts")
struct AccountMapTests {
    let donations = AccountMap.Target(code: "4000", name: "Donations")
    let recurring = AccountMap.Target(code: "4010", name: "Recurring donations")
    let refunds = AccountMap.Target(code: "4090", name: "Refunds")

    func chart() throws -> AccountMap {
        try AccountMap(rules: [
            .init(pattern: "income:*", target: .init(code: "4999", name: "Other income")),
            .init(pattern: "income:donations:*", target: donations, byKind: ["refund": refunds]),
            .init(pattern: "income:donations:monthly", target: recurring),
        ])
    }

    @Test("The exact rule wins, then the longest prefix; a kind's target applies to that kind only")
    func precedence() throws {
        let chart = try chart()
        #expect(chart.target(for: "income:donations:monthly", kind: "payment") == recurring)
        #expect(chart.target(for: "income:donations:monthly", kind: "refund") == recurring)  // its own rule decides
        #expect(chart.target(for: "income:donations:one_off", kind: "payment") == donations)
        #expect(chart.target(for: "income:donations:one_off", kind: "refund") == refunds)
        #expect(chart.target(for: "income:grants", kind: "payment")?.code == "4999")
        #expect(chart.target(for: "expenses:fees:stripe", kind: "payment") == nil)
        #expect(chart.targets(for: "income:donations:annual") == [donations, refunds])
    }

    @Test("An account no rule covers is an error naming it")
    func missing() throws {
        #expect(
            throws: PledgerError.invalid(
                "accounts",
                "the chart of accounts does not map expenses:fees:stripe; add it or a prefix such as expenses:fees:*")
        ) {
            try chart().check(["income:donations:monthly", "expenses:fees:stripe"])
        }
    }

    @Test("One code, one name; patterns and kinds must make sense")
    func refusals() {
        #expect(throws: PledgerError.self) {
            try AccountMap(rules: [
                .init(pattern: "income:donations:monthly", target: recurring),
                .init(pattern: "income:donations:annual", target: .init(code: "4010", name: "Annual gifts")),
            ])
        }
        #expect(throws: PledgerError.self) {
            try AccountMap(rules: [.init(pattern: "income:*:monthly", target: recurring)])
        }
        #expect(throws: PledgerError.self) {
            try AccountMap(rules: [.init(pattern: "income:*", target: recurring, byKind: ["fee": refunds])])
        }
        #expect(throws: PledgerError.self) {
            try AccountMap(rules: [.init(pattern: "income:*", target: .init(code: "4010", name: "a; b"))])
        }
    }

    @Test("A mapped account keeps Pledger's root, so the tools know its type")
    func mappedName() {
        #expect(
            AccountMap.mappedAccount(root: "income:donations:monthly", recurring) == "income:4010 Recurring donations")
    }
}
