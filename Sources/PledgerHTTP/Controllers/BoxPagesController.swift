import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PledgerApp
import PledgerCore

/// The box's files and pages: `/box.js`, `/box.css`, the iframe page `/box/frame`, and the page a
/// confirmation link opens, `/r/confirm`. Pages load nothing from third parties and run no inline script.
struct BoxPagesController: Sendable {
    let box: BoxService

    /// The files of `web/`, embedded at build time.
    static func asset(_ name: String) -> String {
        embeddedWebAssets.first { $0.name == name }?.text ?? ""
    }

    static let templates: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in embeddedWebAssets where name.hasSuffix(".mustache") {
            // The templates ship in the binary; one that does not parse fails the test suite, not a reader.
            if let template = try? MustacheTemplate(string: text) {
                library.register(template, named: String(name.dropLast(".mustache".count)))
            }
        }
        return library
    }()

    /// What every page of Pledger's own allows itself; `frame-ancestors` is added per page.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
        + "img-src 'self' data:; form-action 'self'; base-uri 'none'"

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get("box.js") { _, _ in Self.file("box.js", type: "application/javascript; charset=utf-8") }
            .get("box.css") { _, _ in Self.file("box.css", type: "text/css; charset=utf-8") }
            .get("box/frame") { request, context in try await refusing { try await frame(request, context) } }
            .get("r/confirm") { request, context in try await refusing { try await askToConfirm(request, context) } }
            .post("r/confirm") { request, context in try await refusing { try await confirm(request, context) } }
    }

    /// A refusal of the box (not configured, unknown key) as its JSON answer, as on the API routes.
    private func refusing(_ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch let refusal as BoxRefusal { return APIError.from(refusal).response }
    }

    static func file(_ name: String, type: String) -> Response {
        var response = JSONResponse.raw(.ok, Array(asset(name).utf8), contentType: type)
        response.headers[HTTPField.Name.cacheControl] = "public, max-age=300"
        response.headers[.xContentTypeOptions] = "nosniff"
        // Publishers' pages load it from another origin, also under Cross-Origin-Embedder-Policy.
        response.headers[.crossOriginResourcePolicy] = "cross-origin"
        return response
    }

    /// The box as a page for an iframe; only the key's origins may frame it.
    func frame(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let key = try await box.authorize(key: request.query("key"), origin: nil, originRequired: false)
        let configuration = try box.requireConfiguration()
        let copy = BoxCopy.match(request.query("lang") ?? request.headers[.acceptLanguage], in: configuration.copy)
        let campaign = try normaliseLabel(request.query("campaign"), field: "campaign")
        let cadence = try request.query("cadence").map { text throws(PledgerError) in
            try Cadence.parse(text).rawValue
        }
        let values: [String: Any] = [
            "lang": copy.language, "title": copy[.title], "campaign": campaign ?? "", "cadence": cadence as Any,
            "script_url": "/box.js", "key": key.key,
        ]
        let ancestors = key.origins.map(\.description).joined(separator: " ")
        return Self.page("frame", values, frameAncestors: ancestors)
    }

    /// The link from the confirmation e-mail.
    /// The link from the confirmation e-mail: a page with one button. Opening it changes nothing,
    /// since mail scanners open links too; the button posts the confirmation.
    func askToConfirm(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let configuration = try box.requireConfiguration()
        let copy = BoxCopy.match(request.query("lang") ?? request.headers[.acceptLanguage], in: configuration.copy)
        let token = request.query("token")
        guard try await box.checkConfirmation(token: token) == nil, let token else { return invalidLink(copy) }
        return Self.page(
            "confirm",
            ["lang": copy.language, "title": copy[.confirmAsk], "button": copy[.confirmButton], "token": token])
    }

    /// The confirmation page's button (a form post of the link's token).
    func confirm(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let configuration = try box.requireConfiguration()
        let fields = try await RequestReader(bodyLimit: 4096).form(request)
        let copy = BoxCopy.match(fields["lang"] ?? request.headers[.acceptLanguage], in: configuration.copy)
        switch try await box.confirm(token: fields["token"]) {
        case .confirmed:
            return Self.page(
                "page", ["lang": copy.language, "title": copy[.confirmTitle], "message": copy[.confirmDone]])
        case .invalid:
            return invalidLink(copy)
        }
    }

    private func invalidLink(_ copy: BoxCopy) -> Response {
        var response = Self.page(
            "page", ["lang": copy.language, "title": copy[.confirmInvalid], "message": copy[.confirmInvalidHint]])
        response.status = .badRequest
        return response
    }

    /// A page of Pledger's own from a template of `web/`, with its security headers.
    static func page(_ template: String, _ values: [String: Any], frameAncestors: String = "'none'") -> Response {
        document(Self.templates.render(values, withTemplate: template) ?? "", frameAncestors: frameAncestors)
    }

    /// A whole page already rendered (a giving statement), with the same security headers.
    static func document(_ html: String, frameAncestors: String = "'none'") -> Response {
        var response = JSONResponse.raw(.ok, Array(html.utf8), contentType: "text/html; charset=utf-8")
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy + "; frame-ancestors \(frameAncestors)"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[HTTPField.Name.cacheControl] = "no-store"
        return response
    }
}
