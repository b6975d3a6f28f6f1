import PledgerCore

/// A supporter as the store keeps one: how they are known (nil fields once erased or never given).
public struct SupporterRecord: Sendable, Equatable {
    public let id: ID<Supporter>
    public let email: String?
    public let externalRef: String?

    public init(id: ID<Supporter>, email: String?, externalRef: String?) {
        self.id = id
        self.email = email
        self.externalRef = externalRef
    }
}
