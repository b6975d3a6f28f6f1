import Foundation

extension Timestamp {
    /// The earliest instant the ledger keeps: 2000-01-01T00:00:00Z.
    ///
    /// Reports have no months before it, and dates centuries back came out days off (Foundation's
    /// calendar turns Julian before 1582), so an earlier "when it happened" is a typo, not history.
    public static let ledgerStart = Date(timeIntervalSince1970: 946_684_800)

    /// Refuses an instant before ``ledgerStart``, naming `field` and saying why.
    public static func checkInLedger(_ instant: Date, field: String = "at") throws(PledgerError) {
        guard instant >= ledgerStart else {
            throw .invalid(
                field,
                "\(format(instant)) is before 2000-01-01T00:00:00Z, the start of the ledger; reports cannot show earlier months"
            )
        }
    }

    /// Refuses a date without a time of day: `2026-11-01` alone would silently mean midnight UTC, which
    /// is the previous evening in the Americas. The API and the CLI both parse through ``parse(_:field:)``.
    static func refuseBareDate(_ text: String, field: String) throws(PledgerError) {
        guard text.utf8.count == 10 else { return }
        throw .invalid(
            field,
            "\"\(text)\" has no time of day; write the instant with its zone, such as \(text)T00:00:00Z or \(text)T00:00:00+03:00"
        )
    }
}
