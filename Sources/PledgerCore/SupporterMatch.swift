import Foundation

/// How a pledge or a reminder is attached to a supporter, given who the ledger already knows:
/// by e-mail first, then by the publisher's external ref; a clash between the two is refused.
public enum SupporterMatch: Sendable, Equatable {
    case existing(id: ID<Supporter>)
    /// The supporter known by e-mail gains the external ref it did not have.
    case existingAddingExternalRef(id: ID<Supporter>)
    /// The supporter known by external ref gains the e-mail it did not have.
    case existingAddingEmail(id: ID<Supporter>)
    case new

    /// - Parameters:
    ///   - byEmail: the supporter with this e-mail, if any.
    ///   - byExternalRef: the supporter with this external ref, if any (looked up only when one is given).
    public static func resolve(
        email: EmailAddress, externalRef: String?,
        byEmail: (id: ID<Supporter>, externalRef: String?)?, byExternalRef: (id: ID<Supporter>, email: String?)?
    ) throws(PledgerError) -> SupporterMatch {
        if let byEmail {
            guard let externalRef else { return .existing(id: byEmail.id) }
            if let other = byEmail.externalRef {
                guard other == externalRef else {
                    throw PledgerError(
                        .conflict, code: "supporter_conflict", field: "external_ref",
                        message: "\(email) is already linked to external ref \(other), not \(externalRef)")
                }
                return .existing(id: byEmail.id)
            }
            if let owner = byExternalRef, owner.id != byEmail.id {
                throw PledgerError(
                    .conflict, code: "supporter_conflict", field: "external_ref",
                    message: "external ref \(externalRef) belongs to another supporter")
            }
            return .existingAddingExternalRef(id: byEmail.id)
        }
        if let externalRef, let byExternalRef {
            guard let otherEmail = byExternalRef.email else { return .existingAddingEmail(id: byExternalRef.id) }
            throw PledgerError(
                .conflict, code: "supporter_conflict", field: "email",
                message: "external ref \(externalRef) belongs to \(otherEmail), not \(email)")
        }
        return .new
    }
}
