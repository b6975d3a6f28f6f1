import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// `/v1/supporters/link`: the publisher's site asks for a supporter's own link, which goes out as
/// the event `supporter.link_requested` for the mailer. The answer never says whether the e-mail is known.
struct SupportersController: Sendable {
    let supporters: SupporterService
    let reader: RequestReader

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .post("link", use: requestLink)
    }

    func requestLink(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.supportersWrite)
        let (body, _) = try await reader.json(request)
        try body.allowOnly(["email", "ttl"])
        _ = try await supporters.requestLink(email: try body.string("email"), ttl: try body.optionalString("ttl"))
        return JSONResponse.make(.accepted, ["status": "link_requested"])
    }
}

/// `/manage?token=…`: a supporter's own page, server-rendered, in English or Russian.
struct SupporterPagesController: Sendable {
    let supporters: SupporterService

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get("manage", use: manage)
    }

    func manage(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let copy = SupporterPageCopy.match(request.query("lang") ?? request.headers[.acceptLanguage])
        switch try await supporters.page(token: request.query("token")) {
        case .failure:
            var response = BoxPagesController.page(
                "page", ["lang": copy.language, "title": copy["invalid_title"], "message": copy["invalid"]])
            response.status = .badRequest
            return response
        case .success(let page):
            let pledges: [[String: Any]] = page.pledges.map { pledge in
                [
                    "id": pledge.id.rawValue, "amount": pledge.amount.description,
                    "cadence": copy[pledge.cadence.rawValue], "status": copy[pledge.status.rawValue],
                    "since": String(Timestamp.format(pledge.createdAt).prefix(10)),
                ]
            }
            let payments: [[String: Any]] = page.payments.map { item in
                [
                    "date": String(Timestamp.format(item.payment.occurredAt).prefix(10)),
                    "amount": item.payment.amount.description, "receipt": item.receipt?.description ?? "—",
                ]
            }
            var values: [String: Any] = [
                "lang": copy.language, "email": page.email ?? "", "pledges": pledges, "payments": payments,
                "has_pledges": !pledges.isEmpty, "has_payments": !payments.isEmpty,
            ]
            for (key, text) in copy.texts { values["t_" + key] = text }
            return BoxPagesController.page("manage", values)
        }
    }
}
