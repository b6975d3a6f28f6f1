import Foundation

/// Checks an optional publisher account reference: trimmed, non-empty, at most 200 characters.
public func normaliseExternalRef(_ text: String?, field: String = "external_ref") throws(PledgerError) -> String? {
    guard let text else { return nil }
    try TextField.check(text, field: field)
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty when given") }
    guard trimmed.count <= 200 else { throw .invalid(field, "is longer than 200 characters") }
    return trimmed
}
