import Foundation

/// A normalised e-mail address: trimmed, lower-cased, and of a plausible shape.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    /// Normalises and checks `text`: no control characters, then trimmed and lower-cased; valid means
    /// a WHATWG valid e-mail address (``isWHATWGValid(_:)``) whose domain has a dot, at most 254 characters.
    public init(_ text: String, field: String = "email") throws(PledgerError) {
        try TextField.check(text, field: field)
        let normalised = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
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

/// Checks an optional publisher account reference: trimmed, non-empty, at most 200 characters.
public func normaliseExternalRef(_ text: String?, field: String = "external_ref") throws(PledgerError) -> String? {
    guard let text else { return nil }
    try TextField.check(text, field: field)
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty when given") }
    guard trimmed.count <= 200 else { throw .invalid(field, "is longer than 200 characters") }
    return trimmed
}

/// How a pledge or a reminder is attached to a supporter, given who the ledger already knows:
/// by e-mail first, then by the publisher's external ref; a clash between the two is refused.
public enum SupporterMatch: Sendable, Equatable {
    case existing(id: String)
    /// The supporter known by e-mail gains the external ref it did not have.
    case existingAddingExternalRef(id: String)
    /// The supporter known by external ref gains the e-mail it did not have.
    case existingAddingEmail(id: String)
    case new

    /// - Parameters:
    ///   - byEmail: the supporter with this e-mail, if any.
    ///   - byExternalRef: the supporter with this external ref, if any (looked up only when one is given).
    public static func resolve(
        email: EmailAddress, externalRef: String?,
        byEmail: (id: String, externalRef: String?)?, byExternalRef: (id: String, email: String?)?
    ) throws(PledgerError) -> SupporterMatch {
        if let byEmail {
            guard let externalRef else { return .existing(id: byEmail.id) }
            if let other = byEmail.externalRef {
                guard other == externalRef else {
                    throw PledgerError(
                        .conflict, code: "supporter_conflict", field: "external_ref",
                        message: "\(email) is already linked to external ref \(other), not \(externalRef)")
                }
                return .existing(id: byEmail.id)
            }
            if let owner = byExternalRef, owner.id != byEmail.id {
                throw PledgerError(
                    .conflict, code: "supporter_conflict", field: "external_ref",
                    message: "external ref \(externalRef) belongs to another supporter")
            }
            return .existingAddingExternalRef(id: byEmail.id)
        }
        if let externalRef, let byExternalRef {
            guard let otherEmail = byExternalRef.email else { return .existingAddingEmail(id: byExternalRef.id) }
            throw PledgerError(
                .conflict, code: "supporter_conflict", field: "email",
                message: "external ref \(externalRef) belongs to \(otherEmail), not \(email)")
        }
        return .new
    }
}
