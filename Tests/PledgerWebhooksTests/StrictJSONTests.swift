import Foundation
import PledgerCore
import Testing

@testable import PledgerWebhooks

/// The strict parser behind every request body and processor payload (issue 12, item 11).
@Suite("Strict JSON")
struct StrictJSONTests {
    @Test("Integers are literals without fraction or exponent that fit Int64")
    func integers() throws {
        let value = try JSONValue.parse(
            Array(#"{"a": 500, "b": -0, "c": 9223372036854775807, "d": -9223372036854775808}"#.utf8))
        #expect(value["a"].integer == 500)
        #expect(value["b"].integer == 0)
        #expect(value["c"].integer == Int64.max)
        #expect(value["d"].integer == Int64.min)
        for text in ["500.0", "5e2", "5E+2", "1e400", "9223372036854775808", "-1.5"] {
            let parsed = try JSONValue.parse(Array("{\"n\": \(text)}".utf8))
            #expect(parsed["n"].exists)
            #expect(parsed["n"].integer == nil, "\(text)")
        }
    }

    @Test("A duplicate key is refused, naming its path")
    func duplicates() throws {
        for (text, path) in [(#"{"a": 1, "a": 1}"#, "a"), (#"{"x": {"b": "1", "b": "2"}}"#, "x.b")] {
            let error = try #require(
                thrown { () throws(PledgerError) in try JSONValue.parse(Array(text.utf8)) })
            #expect(error.code == "duplicate_field")
            #expect(error.field == path)
        }
    }

    @Test("Strings: escapes, surrogate pairs, UTF-8; raw control characters and lone surrogates refused")
    func strings() throws {
        let value = try JSONValue.parse(Array(#"{"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83c\udf89 é"}"#.utf8))
        #expect(value["s"].string == "a\"\\/\u{8}\u{C}\n\r\té🎉 é")
        #expect(try JSONValue.parse(Array(#"{"s": "nul\u0000x"}"#.utf8))["s"].string == "nul\u{0}x")
        for text in ["{\"s\": \"a\u{1}\"}", #"{"s": "\ud83c"}"#, #"{"s": "\udf89"}"#, #"{"s": "\x"}"#] {
            #expect(throws: PledgerError.self) { try JSONValue.parse(Array(text.utf8)) }
        }
        #expect(throws: PledgerError.self) {
            try JSONValue.parse([0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])
        }
    }

    @Test("Malformed documents and deep nesting are refused without crashing")
    func malformed() {
        for text in [
            "", " ", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "01", "-", "1.", ".5", "1e", "tru", "nul", "{} {}",
            "{'a': 1}", "[1 2]", String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 50_000),
        ] {
            #expect(throws: PledgerError.self, "\(text.prefix(20))") { try JSONValue.parse(Array(text.utf8)) }
        }
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONValue.parse(Array(deep.utf8)) }
    }
}

/// The `PledgerError` `body` throws; records an issue (and returns nil) when it does not throw.
private func thrown<T>(_ body: () throws(PledgerError) -> T) -> PledgerError? {
    do {
        let value = try body()
        Issue.record("expected a PledgerError, got \(value)")
        return nil
    } catch {
        return error
    }
}
