import Foundation
import PledgerCore
import Testing

/// Typed ids: each type's prefix is defined once, and an id is the plain text clients see.
@Suite("Typed ids")
struct IDTests {
    @Test("A new id starts with its type's prefix and carries 20 base-32 characters")
    func prefixes() {
        let made = [
            ID<Pledge>.make().rawValue, ID<Reminder>.make().rawValue, ID<Payment>.make().rawValue,
            ID<Reversal>.make().rawValue, ID<Supporter>.make().rawValue, ID<LedgerTransaction>.make().rawValue,
        ]
        #expect(made.map { String($0.prefix { $0 != "_" }) } == ["pl", "rm", "py", "rv", "sp", "tx"])
        #expect(made.allSatisfy { $0.split(separator: "_").last?.count == 20 })
    }

    @Test("JSON holds the id as a plain string, both ways")
    func json() throws {
        struct Box: Codable, Equatable { let id: ID<Pledge> }
        let data = try JSONEncoder().encode(Box(id: "pl_abc"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"id":"pl_abc"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: Data(#"{"id":"pl_xyz"}"#.utf8)) == Box(id: ID("pl_xyz")))
    }

    @Test("Ids made later sort after ids made earlier")
    func ordered() {
        let earlier = ID<Pledge>.make(at: Date(timeIntervalSince1970: 1_700_000_000))
        let later = ID<Pledge>.make(at: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(earlier < later)
    }
}
