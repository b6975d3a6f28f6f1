import Foundation
import Testing

@testable import PledgerCore

/// Control characters are refused in every text field before any other check (issue 12, items 1 and 2).
@Suite("Text fields and e-mail addresses")
struct TextFieldTests {
    /// Every control character: U+0000–U+001F and U+007F.
    static let controls: [Unicode.Scalar] = (0...0x1F).map { Unicode.Scalar(UInt8($0)) } + [Unicode.Scalar(0x7F)]

    @Test("Each control character is refused, naming the field and the character")
    func controlCharactersRefused() throws {
        for scalar in Self.controls {
            let text = "nul\(Character(scalar))x@ex.org"
            let error = try #require(thrown { () throws(PledgerError) in try TextField.check(text, field: "email") })
            #expect(error.field == "email")
            #expect(error.code == "control_character")
            #expect(error.message.contains(String(format: "U+%04X", scalar.value)))
        }
    }

    @Test("Printable text, including non-ASCII letters and U+0080 onwards, passes")
    func printablePasses() throws {
        for text in ["plain", "Zürich — «ok»", "tab\u{A0}nbsp", "\u{80}", "emoji 🎉"] {
            try TextField.check(text, field: "source")
        }
    }

    @Test("E-mail, external ref, external id and labels refuse control characters (before trimming)")
    func normalisersRefuse() throws {
        let inputs = ["nul\u{0}x@ex.org", "a@ex.org\n", "\ta@ex.org", "a\u{1B}[31m@ex.org", "a@ex.org\u{7F}"]
        for text in inputs {
            let error = try #require(thrown { () throws(PledgerError) in try EmailAddress(text) })
            #expect(error.field == "email")
            #expect(error.code == "control_character")
        }
        let ref = try #require(thrown { () throws(PledgerError) in try normaliseExternalRef("acct\u{0}42") })
        #expect(ref.field == "external_ref")
        let id = try #require(thrown { () throws(PledgerError) in try Bookkeeping.checkExternalID("ch_1\u{0}") })
        #expect(id.field == "external_id")
    }

    @Test("Identifiers from outside are at most 255 characters")
    func identifierLength() throws {
        #expect(try TextField.identifier(String(repeating: "x", count: 255), field: "id").count == 255)
        let error = try #require(
            thrown { () throws(PledgerError) in
                try TextField.identifier(String(repeating: "x", count: 256), field: "webhook-id")
            })
        #expect(error.field == "webhook-id")
    }

    // MARK: WHATWG e-mail

    @Test(
        "Valid by WHATWG: accepted",
        arguments: [
            "a@b.c", "first.last+news@sub.example.co.uk", "o'brien@example.ie", "x!#$%&'*+/=?^_`{|}~-y@example.org",
            "reader@xn--mnchen-3ya.de", "reader@a-b.example", "1@2.3",
        ])
    func whatwgAccepted(text: String) throws {
        #expect(try EmailAddress(text).value == text.lowercased())
    }

    @Test(
        "Invalid by WHATWG: refused, naming email",
        arguments: [
            "<script>@x.org", "a<b@x.org", "\"quoted\"@example.org", "a(b)@example.org", "a,b@example.org",
            "a;b@example.org", "a:b@example.org", "a[b]@example.org", "a\\b@example.org", "reader@münchen.de",
            "rüdiger@example.org", "reader@-example.org", "reader@example-.org", "reader@exa_mple.org",
            "reader@" + String(repeating: "a", count: 64) + ".org", "reader@[127.0.0.1]",
        ])
    func whatwgRefused(text: String) throws {
        let error = try #require(thrown { () throws(PledgerError) in try EmailAddress(text) })
        #expect(error.field == "email")
        #expect(error.kind == .invalid)
    }
}
