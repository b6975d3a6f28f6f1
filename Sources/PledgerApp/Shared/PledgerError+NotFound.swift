import PledgerCore

extension PledgerError {
    /// No `what` with this id: `pledge_not_found`, `reminder_not_found`…
    static func notFound(_ what: String, _ id: String) -> PledgerError {
        PledgerError(.notFound, code: "\(what)_not_found", field: nil, message: "no \(what) with id \(id)")
    }

    /// No record with this typed id.
    static func notFound<Entity>(_ what: String, _ id: ID<Entity>) -> PledgerError {
        notFound(what, id.rawValue)
    }

    /// No supporter with this e-mail (`supporter_not_found`, field `email`).
    public static func supporterNotFound(email: String) -> PledgerError {
        PledgerError(
            .notFound, code: "supporter_not_found", field: "email", message: "no supporter with e-mail \(email)")
    }

    /// A `limit` outside 1–10,000.
    static func checkLimit(_ limit: Int) throws(PledgerError) {
        guard (1...10_000).contains(limit) else { throw .invalid("limit", "must be from 1 to 10000") }
    }
}
