import Foundation
import PledgerCore
import PledgerStoreInterface
import PledgerWebhooks

/// A new endpoint, as a publisher's engineer describes it.
public struct EndpointRequest: Sendable {
    public var url: String
    /// `pledge.*,reminder.due`.
    public var events: String
    public var description: String?

    public init(url: String, events: String, description: String? = nil) {
        self.url = url
        self.events = events
        self.description = description
    }
}

/// An endpoint with its signing secret: returned once, when added or rotated, and never again.
public struct EndpointWithSecret: Sendable {
    public let endpoint: Endpoint
    /// `whsec_` + base64 of 32 random bytes.
    public let secret: String
}

/// The publisher's endpoints: add, list, disable, enable, rotate the secret, remove.
public struct EndpointService: Sendable {
    let store: any TransactionalStore
    let clock: WallClock
    let settings: DeliverySettings

    /// Adds an endpoint that receives the matching events written from now on.
    public func add(_ request: EndpointRequest) async throws -> EndpointWithSecret {
        _ = try settings.addresses.check(url: request.url, field: "url")
        let filter = try EventFilter(parsing: request.events, field: "events")
        let description = try normaliseDescription(request.description)
        let now = clock.now
        let secret = Self.newSecret()
        let endpoint = try await store.transaction { session in
            let endpoint = Endpoint(
                id: ID<Endpoint>.make(at: now), url: request.url, description: description, events: filter,
                status: .enabled, disabledReason: nil, startSequence: try session.latestEventSequence(),
                failingSince: nil, previousSecretExpiresAt: nil, createdAt: now, updatedAt: now)
            try session.insertEndpoint(endpoint, secret: secret)
            return endpoint
        }
        return EndpointWithSecret(endpoint: endpoint, secret: secret)
    }

    /// Endpoints, oldest first, without their secrets; removed ones only when asked.
    public func list(includeRemoved: Bool = false) async throws -> [Endpoint] {
        try await store.snapshot { try $0.endpoints(includeRemoved: includeRemoved) }
    }

    public func get(_ id: ID<Endpoint>) async throws -> Endpoint {
        try TextField.check(id.rawValue, field: "id")
        return try await store.snapshot { session in
            guard let endpoint = try session.endpoint(id: id), endpoint.status != .removed else {
                throw PledgerError.notFound("endpoint", id)
            }
            return endpoint
        }
    }

    /// Stops deliveries to it; the events it misses wait for it to be enabled again.
    public func disable(_ id: ID<Endpoint>, reason: String = "disabled by hand") async throws -> Endpoint {
        try await setStatus(id, .disabled, reason: reason)
    }

    /// Resumes deliveries where they stopped.
    public func enable(_ id: ID<Endpoint>) async throws -> Endpoint {
        try await setStatus(id, .enabled, reason: nil)
    }

    /// A new secret, returned once; the old one keeps signing beside it for 24 hours.
    public func rotateSecret(_ id: ID<Endpoint>) async throws -> EndpointWithSecret {
        try TextField.check(id.rawValue, field: "id")
        let now = clock.now
        let secret = Self.newSecret()
        let endpoint = try await store.transaction { session in
            guard try session.endpoint(id: id).map({ $0.status != .removed }) == true else {
                throw PledgerError.notFound("endpoint", id)
            }
            try session.rotateEndpointSecret(
                id, secret: secret, previousExpiresAt: now.addingTimeInterval(Endpoint.rotationOverlap), at: now)
            return try session.endpoint(id: id)!
        }
        return EndpointWithSecret(endpoint: endpoint, secret: secret)
    }

    /// Removes it: nothing more is sent, its secrets are forgotten, its deliveries stay listed.
    public func remove(_ id: ID<Endpoint>) async throws -> Endpoint {
        try TextField.check(id.rawValue, field: "id")
        let now = clock.now
        return try await store.transaction { session in
            guard try session.endpoint(id: id).map({ $0.status != .removed }) == true else {
                throw PledgerError.notFound("endpoint", id)
            }
            try session.removeEndpoint(id, at: now)
            return try session.endpoint(id: id)!
        }
    }

    private func setStatus(_ id: ID<Endpoint>, _ status: EndpointStatus, reason: String?) async throws -> Endpoint {
        try TextField.check(id.rawValue, field: "id")
        let now = clock.now
        return try await store.transaction { session in
            guard try session.endpoint(id: id).map({ $0.status != .removed }) == true else {
                throw PledgerError.notFound("endpoint", id)
            }
            try session.setEndpointStatus(id, status: status, reason: reason, at: now)
            return try session.endpoint(id: id)!
        }
    }

    private func normaliseDescription(_ text: String?) throws(PledgerError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        try TextField.check(text, field: "description")
        guard text.count <= 500 else { throw .invalid("description", "is longer than 500 characters") }
        return text
    }

    /// Standard Webhooks' form: `whsec_` and the Base64 of 32 random bytes.
    static func newSecret() -> String {
        StandardWebhooksScheme.secretPrefix + Base64.encode(Crypto.randomBytes(32))
    }
}
