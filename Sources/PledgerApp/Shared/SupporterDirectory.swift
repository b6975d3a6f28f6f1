import Foundation
import PledgerCore
import PledgerStoreInterface

/// Finds the supporter a pledge or a reminder belongs to, inside the caller's transaction.
enum SupporterDirectory {
    /// The supporter with this e-mail (then this external ref), created when neither is known;
    /// Core's ``SupporterMatch`` decides, and refuses an e-mail and a ref that name two people.
    static func supporterID(
        _ session: any SupporterRecords, email: EmailAddress, externalRef: String?, at: Date
    ) throws -> ID<Supporter> {
        let byEmail = try session.supporter(email: email.value)
        let byRef = try externalRef.flatMap { try session.supporter(externalRef: $0) }
        switch try SupporterMatch.resolve(
            email: email, externalRef: externalRef,
            byEmail: byEmail.map { ($0.id, $0.externalRef) }, byExternalRef: byRef.map { ($0.id, $0.email) })
        {
        case .existing(let id):
            return id
        case .existingAddingExternalRef(let id):
            try session.completeSupporter(id: id, email: nil, externalRef: externalRef)
            return id
        case .existingAddingEmail(let id):
            try session.completeSupporter(id: id, email: email.value, externalRef: nil)
            return id
        case .new:
            let id = ID<Supporter>.make()
            try session.insertSupporter(id: id, email: email.value, externalRef: externalRef, at: at)
            return id
        }
    }

    /// Gives a supporter known without an e-mail the payer's, unless the text is no e-mail or
    /// another supporter has it (then both stay as they are: merging people is a person's call).
    static func adoptEmail(_ session: any SupporterRecords, supporterID: ID<Supporter>, _ text: String) throws -> Bool {
        guard let email = try? EmailAddress(text), try session.supporter(email: email.value) == nil else {
            return false
        }
        try session.completeSupporter(id: supporterID, email: email.value, externalRef: nil)
        return true
    }
}
