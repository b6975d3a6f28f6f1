import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore

/// Runs a route's write under the request's `Idempotency-Key`, and marks a replayed answer.
struct IdempotentRoute: Sendable {
    let writes: IdempotentWrites

    /// Runs a write under the request's `Idempotency-Key`, if it has one.
    func run<T: Sendable>(
        _ request: Request, _ context: PledgerRequestContext, _ bytes: [UInt8],
        operation: (CommitHook<T>?) async throws -> T, render: @escaping @Sendable (T) -> ReplayableResponse
    ) async throws -> Response {
        let claim = try request.headers[.idempotencyKey].map { key in
            IdempotencyClaim(
                owner: context.token?.name ?? "", key: try IdempotencyClaim.checkKey(key),
                method: request.method.rawValue, path: request.uri.path, body: bytes)
        }
        let (remembered, replayed) = try await writes.once(claim, operation: operation, render: render)
        var response = JSONResponse.raw(HTTPResponse.Status(code: remembered.status), remembered.body)
        if replayed { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return response
    }
}
