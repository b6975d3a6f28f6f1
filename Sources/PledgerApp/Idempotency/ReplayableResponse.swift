/// The answer to a write, as remembered under its `Idempotency-Key` and replayed to a retry.
public struct ReplayableResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The body, byte for byte.
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}
