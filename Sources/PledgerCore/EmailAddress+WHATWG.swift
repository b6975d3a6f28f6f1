extension EmailAddress {
    /// Whether `text` is a valid e-mail address as the WHATWG HTML standard defines it for
    /// `<input type=email>`, so the support box and the server agree:
    ///
    ///     1*( atext / "." ) "@" label *( "." label )
    ///     atext = ALPHA / DIGIT / one of !#$%&'*+/=?^_`{|}~-
    ///     label = let-dig [ [ ldh-str ] let-dig ]   ; at most 63 characters
    ///
    /// An internationalised domain is accepted in its punycode form (`xn--…`), which is what a
    /// browser submits; Unicode in the domain or the local part is refused, as the box refuses it.
    public static func isWHATWGValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.allSatisfy(isLocalByte) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy(isLabel)
    }

    private static let localPunctuation = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLocalByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || localPunctuation.contains(byte)
    }

    private static func isLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard (1...63).contains(label.count), let first = label.first, let last = label.last,
            isAlphanumeric(first), isAlphanumeric(last)
        else { return false }
        return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}
