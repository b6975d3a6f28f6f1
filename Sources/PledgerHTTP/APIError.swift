import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// An error answered as `{"error": {"code", "message", "field"?}}`. Every failure of a request
/// ends here, so clients see one shape and never a stack trace or a secret.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// Seconds, for a 429's `Retry-After`.
    public var retryAfter: Int?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", message: "a valid bearer token is required (Authorization: Bearer plg_…)")

    /// Maps any error a handler can throw.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as PledgerError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .invalid: .unprocessableContent
                case .notFound: .notFound
                case .conflict: .conflict
                case .refused: .unprocessableContent
                }
            return APIError(status, code: error.code, message: error.message, field: error.field)
        case let refusal as BoxRefusal:
            let status: HTTPResponse.Status =
                switch refusal {
                case .notConfigured: .serviceUnavailable
                case .unknownKey: .unauthorized
                case .originNotAllowed: .forbidden
                case .rateLimited: .tooManyRequests
                }
            var retryAfter: Int?
            if case .rateLimited(let seconds) = refusal { retryAfter = seconds }
            return APIError(status, code: refusal.code, message: refusal.message, retryAfter: retryAfter)
        case let error as SignatureError:
            return APIError(.badRequest, code: error.code, message: error.message, field: error.header)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return APIError(.notFound, code: "not_found", message: "no such route")
            case .contentTooLarge:
                return APIError(
                    .contentTooLarge, code: "body_too_large", message: "the request body is over the size limit")
            case .methodNotAllowed:
                return APIError(
                    .methodNotAllowed, code: "method_not_allowed", message: "this route does not take that method")
            default:
                return APIError(error.status, code: "http_\(error.status.code)", message: error.status.reasonPhrase)
            }
        default:
            // Never echo an unexpected error: it may hold internals. The access log has the request id.
            return APIError(
                .internalServerError, code: "internal",
                message: "something went wrong; the request id identifies it in the log")
        }
    }

    var response: Response {
        struct Body: Encodable {
            struct Inner: Encodable {
                let code: String
                let message: String
                let field: String?
            }
            let error: Inner
        }
        var response = JSONResponse.make(status, Body(error: .init(code: code, message: message, field: field)))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
