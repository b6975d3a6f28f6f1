import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

/// Requires a bearer token on the routes it wraps; the scope is checked by each route.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = PledgerRequestContext
    let authenticate: @Sendable (String) async throws -> APIToken?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
            let token = try await authenticate(
                String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
        else { throw APIError.unauthorized }
        var context = context
        context.token = token
        return try await next(request, context)
    }
}
