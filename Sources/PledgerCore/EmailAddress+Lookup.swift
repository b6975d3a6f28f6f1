import Foundation

extension EmailAddress {
    /// The form an address is looked up by, for erasure on request: trimmed and lower-cased, with no
    /// control character, but not checked for shape. Addresses stored before the WHATWG rule (or cut
    /// at a NUL, such as `nul`) must still be found and erased even though they could not be entered today.
    public static func lookupKey(_ text: String, field: String = "email") throws(PledgerError) -> String {
        try TextField.check(text, field: field)
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !key.isEmpty else { throw .invalid(field, "must not be empty") }
        return key
    }
}
