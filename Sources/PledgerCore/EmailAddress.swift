import Foundation

/// A normalised e-mail address: trimmed, lower-cased, and of a plausible shape.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    /// Normalises and checks `text`: no control characters, then trimmed and lower-cased; valid means
    /// a WHATWG valid e-mail address (``isWHATWGValid(_:)``) whose domain has a dot, at most 254 characters.
    public init(_ text: String, field: String = "email") throws(PledgerError) {
        try TextField.check(text, field: field)
        // Foundation's trimming only when an end is not a visible ASCII character (rarely).
        let ends = (text.utf8.first ?? 0, text.utf8.last ?? 0)
        let visible = (0x21...0x7E).contains(ends.0) && (0x21...0x7E).contains(ends.1)
        let normalised = (visible ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)).lowercased()
        guard !normalised.isEmpty else { throw .invalid(field, "must not be empty") }
        guard normalised.count <= 254 else { throw .invalid(field, "is longer than 254 characters") }
        guard !normalised.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw .invalid(field, "\"\(normalised)\" contains spaces")
        }
        let parts = normalised.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw .invalid(field, "\"\(normalised)\" is not an e-mail address (expected name@example.org)")
        }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            throw .invalid(field, "\"\(normalised)\" has no valid domain (expected name@example.org)")
        }
        guard Self.isWHATWGValid(normalised) else {
            throw .invalid(
                field,
                "\"\(normalised)\" is not a valid e-mail address: use letters, digits and .!#$%&'*+/=?^_`{|}~- before the @, and a domain of letters, digits and hyphens (punycode xn--… for an internationalised one)"
            )
        }
        value = normalised
    }

    public var description: String { value }
}
