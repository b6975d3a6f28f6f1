import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

/// Outermost: gives each request an id, maps every error to Pledger's JSON error shape, writes
/// one access-log line (method, route, status, duration, request id — never bodies, tokens or
/// signatures) and counts the request for `/metrics`.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PledgerRequestContext
    let logger: Logger
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var context = context
        context.requestID = Self.requestID(from: request.headers[.requestID])
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status == .internalServerError {
                logger.error(
                    "request failed",
                    metadata: ["request_id": "\(context.requestID)", "error_type": "\(type(of: error))"])
            }
            response = apiError.response(for: request)
        }
        response.headers[.requestID] = context.requestID
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // The matched route pattern, never the raw path: ids stay out of metric labels.
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(
            method: request.method.rawValue, route: route, status: Int(response.status.code), seconds: seconds)
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(response.status.code)",
                "duration_ms": "\(String(format: "%.1f", seconds * 1000))", "request_id": "\(context.requestID)",
            ])
        return response
    }

    /// A client's request id when it is short and plain, else a new one.
    static func requestID(from header: String?) -> String {
        if let header, (1...64).contains(header.count),
            header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        {
            return header
        }
        return EntityID.make("req")
    }
}

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

extension PledgerRequestContext {
    /// Refuses with 403 unless the request's token holds `scope`.
    func require(_ scope: APIScope) throws {
        guard let token else { throw APIError.unauthorized }
        guard APIScope.allows(token.scopes, scope) else {
            throw APIError(
                .forbidden, code: "forbidden", message: "token \(token.name) lacks the \(scope.rawValue) scope")
        }
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
