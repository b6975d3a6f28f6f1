import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// `/v1/public/…`: the reader's box talking to Pledger from a publisher's page. A publishable key
/// and an allowed `Origin` instead of a bearer token; bodies of at most 4 KB with no unknown field.
struct BoxController: Sendable {
    let box: BoxService
    /// Small bodies: the box sends a few fields, and anything larger is not the box.
    let reader = RequestReader(bodyLimit: 4096)

    var endpoints: RouteCollection<PledgerRequestContext> {
        let routes = RouteCollection(context: PledgerRequestContext.self)
            .add(middleware: PublicCORSMiddleware(box: box))
        routes.get("box", use: configuration)
        routes.post("checkout", use: checkout)
        routes.post("reminders", use: remindLater)
        routes.post("events", use: beacon)
        // Preflights: the middleware answers them; these routes only make the paths match.
        for path in ["box", "checkout", "reminders", "events"] {
            routes.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
        }
        return routes
    }

    static let attributionFields = ["page_url", "referrer", "campaign"] + Attribution.utmKeys

    func configuration(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        _ = try await box.authorize(key: request.query("key"), origin: request.origin, originRequired: false)
        var response = JSONResponse.make(.ok, try box.view(lang: request.query("lang")))
        // Copy and presets change only when the server restarts with a new file.
        response.headers[HTTPField.Name.cacheControl] = "public, max-age=300"
        return response
    }

    func checkout(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let body = try await publicBody(request, context)
        try body.allowOnly(["key", "cadence", "amount", "currency", "email", "website"] + Self.attributionFields)
        let result = try await box.checkout(
            BoxCheckoutRequest(
                cadence: try body.optionalNonEmpty("cadence"), amount: try body.optionalInteger("amount"),
                currency: try body.optionalNonEmpty("currency"), email: try body.optionalNonEmpty("email"),
                pageURL: try body.optionalNonEmpty("page_url"), referrer: try body.optionalNonEmpty("referrer"),
                campaign: try body.optionalNonEmpty("campaign"), utm: try utm(body),
                website: try body.optionalNonEmpty("website")))
        struct Answer: Encodable {
            let pledgeId: String
            let checkoutUrl: String
        }
        return JSONResponse.make(
            .created, Answer(pledgeId: result.pledgeID.rawValue, checkoutUrl: result.checkoutURL))
    }

    func remindLater(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let body = try await publicBody(request, context)
        try body.allowOnly(["key", "email", "website"] + Self.attributionFields)
        try await box.requestReminder(
            BoxReminderRequest(
                email: try body.optionalNonEmpty("email"), pageURL: try body.optionalNonEmpty("page_url"),
                referrer: try body.optionalNonEmpty("referrer"), campaign: try body.optionalNonEmpty("campaign"),
                utm: try utm(body), website: try body.optionalNonEmpty("website")))
        // The same answer whether or not the e-mail is known.
        return JSONResponse.make(.accepted, ["status": "confirmation_sent"])
    }

    func beacon(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let body = try await publicBody(request, context, beacon: true)
        try body.allowOnly(["key", "kind", "campaign", "page_url"])
        try await box.count(
            kind: try BoxBeaconKind.parse(try body.optionalNonEmpty("kind")),
            campaign: try body.optionalNonEmpty("campaign"),
            pageURL: try body.optionalNonEmpty("page_url"))
        return Response(status: .noContent)
    }

    /// The body of a public POST, once the key, the origin and the client's rate limit allow it.
    private func publicBody(_ request: Request, _ context: PledgerRequestContext, beacon: Bool = false)
        async throws -> JSONValue
    {
        _ = try box.requireConfiguration()
        try await box.limit(clientIP: clientIP(request, context), beacon: beacon)
        let (body, _) = try await reader.json(request)
        _ = try await box.authorize(key: try body.optionalNonEmpty("key"), origin: request.origin, originRequired: true)
        return body
    }

    private func utm(_ body: JSONValue) throws -> [String: String?] {
        var utm: [String: String?] = [:]
        for key in Attribution.utmKeys { utm[key] = try body.optionalNonEmpty(key) }
        return utm
    }

    /// The reader's address: the last entry of the configured proxy header (the one the proxy
    /// appended; entries before it are whatever the client sent), else the peer's.
    private func clientIP(_ request: Request, _ context: PledgerRequestContext) -> String {
        if let name = box.configuration?.limits.clientIPHeader, let field = HTTPField.Name(name),
            let last = request.headers[field]?.split(separator: ",").last
        {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension Request {
    /// The `Origin` header: the page the box runs on.
    var origin: String? { headers[.origin] }
}

/// CORS for the public routes: answered only for an origin some live key allows (or this server's
/// own), preflights included, so a page on any other origin cannot read an answer. Errors are
/// rendered here, inside, so that an allowed page can read why it was refused.
struct PublicCORSMiddleware: RouterMiddleware {
    typealias Context = PledgerRequestContext
    let box: BoxService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let origin = request.origin
        let allowed = try await origin.asyncMap { try await box.isAllowedOrigin($0) } ?? false
        if request.method == .options {
            guard let origin, allowed else {
                return APIError(
                    .forbidden, code: "origin_not_allowed",
                    message: "this origin is not among any publishable key's origins"
                ).response
            }
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowMethods] = "GET, POST"
            response.headers[.accessControlAllowHeaders] = "Content-Type"
            response.headers[.accessControlMaxAge] = "600"
            response.headers[.vary] = "Origin"
            return response
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIError.from(error).response(for: request)
        }
        response.headers[.vary] = "Origin"
        if let origin, allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "Retry-After"
        }
        return response
    }

}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
