/// Checks an optional short free-text label (a pledge's source, a reminder's campaign): trimmed,
/// 1–100 characters, so reports group by labels a person typed once.
public func normaliseLabel(_ text: String?, field: String) throws(PledgerError) -> String? {
    try TextField.optionalTrimmed(text, field: field, maxLength: 100)
}
