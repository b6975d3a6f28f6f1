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

/// `/manage?token=…`: a supporter's own page, server-rendered, in English or Russian, and its
/// forms (pause, resume, change, cancel with a reason), each posted with the link and a CSRF token bound to it;
/// a printable receipt per payment (`/manage/receipt`) and a giving statement per year (`/manage/statement`).
struct SupporterPagesController: Sendable {
    let supporters: SupporterService
    /// A form's few fields, with a 500-character note percent-encoded (up to 12 bytes a character), fit.
    let reader = RequestReader(bodyLimit: 16_384)

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get("manage", use: manage)
            .get("manage/receipt", use: receipt)
            .get("manage/statement", use: statement)
            .post("manage/pause") { request, context in try await form(request, context, kind: "pause") }
            .post("manage/change") { request, context in try await form(request, context, kind: "change") }
            .post("manage/cancel") { request, context in try await form(request, context, kind: "cancel") }
            .post("manage/resume") { request, context in try await form(request, context, kind: "resume") }
    }

    /// A form from the page: the request is recorded and announced, then the page again (303).
    func form(_ request: Request, _ context: PledgerRequestContext, kind name: String) async throws -> Response {
        let copy = SupporterPageCopy.match(request.headers[.acceptLanguage])
        let fields = try await reader.form(request)
        let token = fields["token"]
        do {
            guard let pledgeText = fields["pledge"], !pledgeText.isEmpty else {
                throw PledgerError.invalid("pledge", "is required")
            }
            let kind: SupporterRequest.Kind
            switch name {
            case "pause":
                guard let months = fields["months"].flatMap(Int.init) else {
                    throw PledgerError.invalid("months", "pick 1, 2 or 3 months")
                }
                kind = .pause(months: months)
            case "resume":
                kind = .resume
            case "change":
                let cadence = try fields["cadence"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(PledgerError) in
                    try Cadence.parse(text)
                }
                let amount = try fields["amount"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(PledgerError) in
                    try Money.parse(text, currency: try Currency.parse(fields["currency"] ?? ""))
                }
                kind = .change(amount: amount, cadence: cadence)
            default:
                let note = try TextField.optionalTrimmed(fields["note"], field: "note", maxLength: 500)
                kind = .cancel(reason: try CancellationReason.parse(fields["reason"]), note: note)
            }
            _ = try await supporters.request(token: token, csrf: fields["csrf"], pledgeID: ID(pledgeText), kind)
        } catch let refusal as SupporterService.FormRefusal {
            let forged = refusal == .forged
            var response = BoxPagesController.page(
                "page",
                [
                    "lang": copy.language, "title": copy[forged ? "not_changed" : "invalid_title"],
                    "message": copy[forged ? "forged" : "invalid"],
                ])
            response.status = forged ? .forbidden : .badRequest
            return response
        } catch let error as PledgerError {
            var response = BoxPagesController.page(
                "page", ["lang": copy.language, "title": copy["not_changed"], "message": error.description])
            response.status = .unprocessableContent
            return response
        }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Response(
            status: .seeOther,
            headers: [
                .location: "/manage?token=" + (token?.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
            ])
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

    func manage(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        let copy = Self.copy(request)
        switch try await supporters.page(token: request.query("token")) {
        case .failure:
            return Self.refused(copy)
        case .success(let page):
            let pledges: [[String: Any]] = page.pledges.map { pledge in
                // A pledge that is over has nothing left to ask for: what was asked before goes unshown.
                let requested = page.requests.filter { $0.pledgeID == pledge.id && pledge.status.isOpen }.map {
                    copy["requested_" + $0.kind.name]
                }
                let allowed = SupporterRequest.allowedKinds(for: pledge)
                return [
                    "id": pledge.id.rawValue, "amount": pledge.amount.description,
                    "currency": pledge.amount.currency.code, "cadence": copy[pledge.cadence.rawValue],
                    "status": pledge.resumesAt.map {
                        copy["paused_until"] + " " + String(Timestamp.format($0).prefix(10))
                    } ?? copy[pledge.status.rawValue],
                    "since": String(Timestamp.format(pledge.createdAt).prefix(10)),
                    "requested": requested.joined(separator: "; "), "has_requests": !requested.isEmpty,
                    "can_pause": allowed.contains("pause"), "can_resume": allowed.contains("resume"),
                    "can_change": allowed.contains("change"),
                    "can_cancel": allowed.contains("cancel"),
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
            let years = page.statementYears
            var values: [String: Any] = [
                "lang": copy.language, "email": page.email ?? "", "pledges": pledges, "payments": payments,
                "has_pledges": !pledges.isEmpty, "has_payments": !payments.isEmpty,
                "token": request.query("token") ?? "",
                "csrf": page.csrf,
                "reasons": CancellationReason.allCases.map { ["value": $0.rawValue, "label": copy[$0.rawValue]] },
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
                "payment_id": payment.id.rawValue, "token": request.query("token") ?? "",
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
            return BoxPagesController.document(statement.html(language: Self.copy(request).language))
        }
    }
}
