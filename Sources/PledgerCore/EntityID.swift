import Foundation

/// Public identifiers: a type prefix and 20 base-32 characters (`pl_…`, `rm_…`): 9 for the
/// millisecond of creation, then 11 random (55 bits).
///
/// Random enough that an API client cannot enumerate records, yet roughly in creation order,
/// so new rows land at the right-hand end of every index keyed by id instead of at random
/// pages: with fully random ids, writing a large ledger re-read index pages from disk for
/// nearly every row.
public enum EntityID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    public static func make(_ prefix: String, at now: Date = Date()) -> String {
        // One draw from the system generator: it is a system call each time.
        var random = UInt64.random(in: 0...UInt64.max)
        var time = UInt64(max(0, Timestamp.millis(now)))
        var body = [UInt8](repeating: 0, count: 20)
        for index in stride(from: 8, through: 0, by: -1) {
            body[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        for index in 9..<20 {
            body[index] = alphabet[Int(random & 31)]
            random >>= 5
        }
        return prefix + "_" + String(decoding: body, as: UTF8.self)
    }
}
