import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerRender
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

/// `/manage?token=…`: a supporter's own page, server-rendered, in English or Russian, with a
/// printable receipt per payment (`/manage/receipt`) and a giving statement per year (`/manage/statement`).
struct SupporterPagesController: Sendable {
    let supporters: SupporterService

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get("manage", use: manage)
            .get("manage/receipt", use: receipt)
            .get("manage/statement", use: statement)
    }

    /// The page every refused link (or a payment or year the link cannot show) gets: 400, and nothing else.
    private static func refused(_ copy: SupporterPageCopy) -> Response {
        var response = BoxPagesController.page(
            "page", ["lang": copy.language, "title": copy["invalid_title"], "message": copy["invalid"]])
        response.status = .badRequest
        return response
    }

    private static func copy(_ request: Request) -> SupporterPageCopy {
        SupporterPageCopy.match(request.query("lang") ?? request.headers[.acceptLanguage])
    }

    /// The token as it goes back into the page's links.
    private static func linkToken(_ request: Request) -> String {
        (request.query("token") ?? "").addingPercentEncoding(
            withAllowedCharacters: .urlQueryAllowed.subtracting(
                CharacterSet(charactersIn: "&=+#"))) ?? ""
    }

    func manage(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let copy = Self.copy(request)
        switch try await supporters.page(token: request.query("token")) {
        case .failure:
            return Self.refused(copy)
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
                    "id": item.payment.id.rawValue,
                    "date": String(Timestamp.format(item.payment.occurredAt).prefix(10)),
                    "amount": item.payment.amount.description,
                    "receipt": item.receipt?.description ?? copy["open_receipt"],
                ]
            }
            // A statement per calendar year (UTC) with a payment, newest first.
            let years = Set(page.payments.map { FiscalYear.containing($0.payment.occurredAt).year }).sorted(by: >)
            var values: [String: Any] = [
                "lang": copy.language, "email": page.email ?? "", "pledges": pledges, "payments": payments,
                "has_pledges": !pledges.isEmpty, "has_payments": !payments.isEmpty, "token": Self.linkToken(request),
                "years": years.map { ["year": String($0)] }, "has_years": !years.isEmpty,
            ]
            for (key, text) in copy.texts { values["t_" + key] = text }
            return BoxPagesController.page("manage", values)
        }
    }

    /// `/manage/receipt?token=…&payment=py_…`: one payment's printable receipt; a payment that is not
    /// the link's supporter's is refused like a bad link.
    func receipt(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let copy = Self.copy(request)
        switch try await supporters.receipt(token: request.query("token"), paymentID: request.query("payment")) {
        case .failure:
            return Self.refused(copy)
        case .success(let receipt):
            let payment = receipt.payment
            var values: [String: Any] = [
                "lang": copy.language, "number": receipt.number?.description ?? copy["receipt_unnumbered"],
                "date": String(Timestamp.format(payment.occurredAt).prefix(10)),
                "amount": payment.amount.decimalString, "currency": payment.amount.currency.code,
                "cadence": copy[payment.cadence.rawValue], "refunded": receipt.refunded.decimalString,
                "charged_back": receipt.chargedBack.decimalString, "email": receipt.email ?? "",
                "payment_id": payment.id.rawValue, "token": Self.linkToken(request),
            ]
            for (key, text) in copy.texts { values["t_" + key] = text }
            return BoxPagesController.page("receipt", values)
        }
    }

    /// `/manage/statement?token=…&year=2026[&fiscal_year_start=04]`: the giving statement
    /// `pledger statement` writes, for the link's supporter.
    func statement(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        switch try await supporters.statement(
            token: request.query("token"), year: request.query("year"),
            startMonth: request.query("fiscal_year_start"))
        {
        case .failure:
            return Self.refused(Self.copy(request))
        case .success(let statement):
            return BoxPagesController.document(statement.html)
        }
    }
}
