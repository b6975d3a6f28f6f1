import Foundation
import PledgerCore
import PledgerStore

/// The use cases of Pledger, shared by the CLI and the HTTP service. Each method parses nothing
/// and renders nothing: it applies Core's rules inside one store transaction.
public final class Pledger: Sendable {
    public let store: LedgerStore
    public let clock: WallClock
    public let config: PledgerConfig

    public init(store: LedgerStore, clock: WallClock = .system, config: PledgerConfig = PledgerConfig()) {
        self.store = store
        self.clock = clock
        self.config = config
    }

    /// The instant an operation happened: the one given (checked not to lie ahead), or now.
    func occurredAt(_ given: Date?) throws(PledgerError) -> Date {
        let now = clock.now
        guard let given else { return now }
        try Timestamp.checkHappened(given, now: now)
        return given
    }

    /// Finds the supporter by e-mail (then by external ref), creating one when neither is known.
    func supporterID(_ session: StoreSession, email: EmailAddress, externalRef: String?, at: Date) throws -> String {
        if let found = try session.supporter(email: email.value) {
            if let externalRef, let other = found.externalRef, other != externalRef {
                throw PledgerError(
                    .conflict, code: "supporter_conflict", field: "external_ref",
                    message: "\(email) is already linked to external ref \(other), not \(externalRef)")
            }
            if externalRef != nil, found.externalRef == nil {
                if let owner = try session.supporter(externalRef: externalRef!), owner.id != found.id {
                    throw PledgerError(
                        .conflict, code: "supporter_conflict", field: "external_ref",
                        message: "external ref \(externalRef!) belongs to another supporter")
                }
                try session.completeSupporter(id: found.id, email: nil, externalRef: externalRef)
            }
            return found.id
        }
        if let externalRef, let found = try session.supporter(externalRef: externalRef) {
            if found.email == nil {
                try session.completeSupporter(id: found.id, email: email.value, externalRef: nil)
            } else {
                throw PledgerError(
                    .conflict, code: "supporter_conflict", field: "email",
                    message: "external ref \(externalRef) belongs to \(found.email!), not \(email)")
            }
            return found.id
        }
        let id = EntityID.make("sp")
        try session.insertSupporter(id: id, email: email.value, externalRef: externalRef, at: at)
        return id
    }
}
