/// Another transaction remembered a response under the same idempotency key first: its effect
/// stands, and the caller's transaction is rolled back.
public struct IdempotencyKeyTaken: Error, Equatable, CustomStringConvertible {
    public init() {}

    public var description: String { "another request with the same idempotency key was committed first" }
}
