import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PledgerCore

/// Gives each request an id, maps every error to Pledger's JSON error shape, writes
/// one access-log line (method, route, status, duration, request id — never bodies, tokens or
/// signatures). Hummingbird's `MetricsMiddleware`, around it, counts the request for `/metrics`.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PledgerRequestContext
    let logger: Logger

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
        // The matched route pattern, never the raw path: ids stay out of the log.
        let route = context.endpointPath ?? "unmatched"
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
