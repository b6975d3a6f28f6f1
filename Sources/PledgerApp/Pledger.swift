import Foundation
import PledgerCore
import PledgerStore
import PledgerWebhooks

/// The use cases of Pledger, shared by the CLI and the HTTP service. Each method parses nothing
/// and renders nothing: it applies Core's rules inside one store transaction.
public final class Pledger: Sendable {
    public let store: LedgerStore
    public let clock: WallClock
    public let config: PledgerConfig
    /// The webhook verifiers, built once from the configured secrets: keying HMAC for every
    /// delivery cost as much as verifying it. A configuration error is kept and reported per delivery.
    let stripeVerifier: Result<StripeSignatureScheme, SignatureError>
    let standardVerifier: Result<StandardWebhooksScheme, SignatureError>

    public init(store: LedgerStore, clock: WallClock = .system, config: PledgerConfig = PledgerConfig()) {
        self.store = store
        self.clock = clock
        self.config = config
        let webhooks = config.webhooks
        stripeVerifier = Result { () throws(SignatureError) in
            try StripeSignatureScheme(secrets: webhooks.secrets(for: .stripe), tolerance: webhooks.tolerance)
        }
        standardVerifier = Result { () throws(SignatureError) in
            try StandardWebhooksScheme(secrets: webhooks.secrets(for: .standard), tolerance: webhooks.tolerance)
        }
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
            let id = EntityID.make("sp")
            try session.insertSupporter(id: id, email: email.value, externalRef: externalRef, at: at)
            return id
        }
    }
}
