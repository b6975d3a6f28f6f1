/// Public identifiers: a type prefix and 20 random base-32 characters (`pl_…`, `rm_…`).
/// Random rather than sequential so an API client cannot enumerate records.
public enum EntityID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return prefix + "_" + String(body)
    }
}
