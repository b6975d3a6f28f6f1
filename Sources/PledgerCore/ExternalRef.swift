/// Checks an optional publisher account reference: trimmed, non-empty, at most 200 characters.
public func normaliseExternalRef(_ text: String?, field: String = "external_ref") throws(PledgerError) -> String? {
    try TextField.optionalTrimmed(text, field: field, maxLength: 200)
}
