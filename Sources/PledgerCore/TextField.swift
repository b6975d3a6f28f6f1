import Foundation

/// The rule every text field taken from outside obeys before any other check: no control characters.
///
/// SQLite's C interface reads a bound string up to its first NUL, so `"nul\u{0}x@ex.org"` was stored
/// as `"nul"` after it had passed validation; other control characters (escape sequences, line breaks
/// inside an id) poison logs, CSV exports and terminals. One rule, applied by Core's normalisers, so
/// the API and the CLI refuse the same input.
public enum TextField {
    /// Longest identifier taken from outside (external ids, event ids, processor references).
    public static let maxIdentifierLength = 255

    /// Refuses `text` when it holds any character of U+0000–U+001F or U+007F, naming `field` and the
    /// character's position.
    public static func check(_ text: String, field: String) throws(PledgerError) {
        for (offset, scalar) in text.unicodeScalars.enumerated() where isControl(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            throw PledgerError(
                .invalid, code: "control_character", field: field,
                message:
                    "contains the control character U+\(padded) at position \(offset + 1); text fields refuse U+0000–U+001F and U+007F"
            )
        }
    }

    /// ``check(_:field:)`` for an optional value.
    public static func check(_ text: String?, field: String) throws(PledgerError) {
        if let text { try check(text, field: field) }
    }

    /// Checks an identifier taken from outside: no control characters, 1–255 characters.
    /// - Returns: `text` unchanged.
    public static func identifier(_ text: String, field: String) throws(PledgerError) -> String {
        try check(text, field: field)
        guard !text.isEmpty else { throw .invalid(field, "must not be empty") }
        guard text.count <= maxIdentifierLength else {
            throw .invalid(field, "is longer than \(maxIdentifierLength) characters")
        }
        return text
    }

    /// Checks an optional short text a person typed (a label, an account reference): no control
    /// characters, trimmed, then 1 to `maxLength` characters.
    /// - Returns: the trimmed text, or nil when none was given.
    public static func optionalTrimmed(_ text: String?, field: String, maxLength: Int) throws(PledgerError) -> String? {
        guard let text else { return nil }
        try check(text, field: field)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty when given") }
        guard trimmed.count <= maxLength else { throw .invalid(field, "is longer than \(maxLength) characters") }
        return trimmed
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}
