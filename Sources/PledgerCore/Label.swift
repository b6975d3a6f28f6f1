import Foundation

/// Checks an optional short free-text label (a pledge's source, a reminder's campaign): trimmed,
/// 1–100 characters, so reports group by labels a person typed once.
public func normaliseLabel(_ text: String?, field: String) throws(PledgerError) -> String? {
    guard let text else { return nil }
    try TextField.check(text, field: field)
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty when given") }
    guard trimmed.count <= 100 else { throw .invalid(field, "is longer than 100 characters") }
    return trimmed
}
