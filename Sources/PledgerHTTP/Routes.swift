import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerWebhooks

/// The v1 routes. Each handler parses, calls one `Pledger` use case, and renders.
struct Routes: Sendable {
    let app: Pledger
    let reader: RequestReader
    let metrics: ServiceMetrics

    // MARK: Pledges

    func createPledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesWrite)
        let (body, bytes) = try await reader.json(request)
        try body.allowOnly(["email", "external_ref", "amount", "currency", "cadence", "source"])
        let currency = try Currency.parse(try body.string("currency"))
        let amount = try Money.minor(try body["amount"].requireInteger(), currency: currency)
        let pledge = PledgeRequest(
            email: try body.string("email"), externalRef: try body.optionalString("external_ref"), amount: amount,
            cadence: try Cadence.parse(try body.string("cadence")), source: try body.optionalString("source"))
        let now = app.clock.now
        return try await idempotent(request, context, bytes) { commit in
            try await app.recordPledge(pledge, commit: commit)
        } render: {
            RememberedResponse(status: 201, body: Array(Views.json(Views.pledge($0, now: now)).utf8))
        }
    }

    func getPledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesRead)
        let pledge = try await app.pledge(id: try context.parameters.require("id"))
        return JSONResponse.make(.ok, Views.pledge(pledge, now: app.clock.now))
    }

    func listPledges(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesRead)
        let status = try request.query("status").map { text throws(PledgerError) in try PledgeStatus.parse(text) }
        let limit = try request.queryInt("limit", default: 50)
        guard (1...500).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 500") }
        let page = try await app.pledges(
            status: status, email: request.query("email"), limit: limit, after: request.query("cursor"))
        struct Page: Encodable {
            let data: [Views.PledgeView]
            let nextCursor: String?
        }
        let now = app.clock.now
        return JSONResponse.make(
            .ok, Page(data: page.pledges.map { Views.pledge($0, now: now) }, nextCursor: page.nextCursor))
    }

    func cancelPledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesWrite)
        let id = try context.parameters.require("id")
        let bytes = try await reader.bytes(request)
        let now = app.clock.now
        return try await idempotent(request, context, bytes) { commit in
            try await app.cancelPledge(id: id, commit: commit)
        } render: {
            RememberedResponse(status: 200, body: Array(Views.json(Views.pledge($0, now: now)).utf8))
        }
    }

    // MARK: Reminders

    func scheduleReminder(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.remindersWrite)
        let (body, bytes) = try await reader.json(request)
        try body.allowOnly(["email", "external_ref", "campaign", "delay_days", "remind_at"])
        let delayDays = try body.optionalInteger("delay_days")
        let remindAt = try body.optionalString("remind_at")
        let when: ReminderPolicy.Request
        switch (delayDays, remindAt) {
        case (.some, .some):
            throw PledgerError.invalid("delay_days", "give either delay_days or remind_at, not both")
        case (.some(let days), nil):
            when = .delay(try ReminderDelay.days(days, field: "delay_days"))
        case (nil, .some(let text)):
            when = .at(try Timestamp.parse(text, field: "remind_at"))
        case (nil, nil):
            when = .defaultDelay
        }
        let reminder = ReminderRequest(
            email: try body.string("email"), externalRef: try body.optionalString("external_ref"),
            campaign: try body.optionalString("campaign"), when: when)
        return try await idempotent(request, context, bytes) { commit in
            try await app.scheduleReminder(reminder, commit: commit)
        } render: { result in
            RememberedResponse(
                status: result.deferred ? 200 : 201,
                body: Array(Views.json(Views.reminder(result.reminder, deferred: result.deferred)).utf8))
        }
    }

    func dueReminders(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.remindersRead)
        let limit = try request.queryInt("limit", default: 100)
        guard (1...1000).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 1000") }
        let due = try await app.dueReminders(limit: limit)
        struct Page: Encodable { let data: [Views.ReminderView] }
        return JSONResponse.make(.ok, Page(data: due.map { Views.reminder($0) }))
    }

    func reminderSent(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.remindersWrite)
        let id = try context.parameters.require("id")
        let bytes = try await reader.bytes(request)
        return try await idempotent(request, context, bytes) { commit in
            try await app.markReminderSent(id: id, commit: commit)
        } render: {
            RememberedResponse(status: 200, body: Array(Views.json(Views.reminder($0)).utf8))
        }
    }

    // MARK: Webhooks

    /// No token: the signature is the authentication. 200 for every accepted outcome so the
    /// processor stops retrying; 400 with the verification error's code when rejected.
    func webhook(_ provider: WebhookProvider) -> @Sendable (Request, PledgerRequestContext) async throws -> Response {
        { request, _ in
            let body = try await reader.bytes(request)
            let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
            let result = try await app.ingestWebhook(WebhookDelivery(provider: provider, headers: headers, body: body))
            metrics.recordWebhook(provider: provider.rawValue, outcome: result.outcome.rawValue)
            if result.outcome == .conflict {
                throw APIError(
                    .conflict, code: "event_conflict", message: result.detail ?? "event id reused with another body")
            }
            guard result.outcome.isAccepted, result.error == nil else {
                throw APIError(
                    .badRequest, code: result.error?.code ?? "rejected",
                    message: result.detail ?? "verification failed", field: result.error?.header)
            }
            return JSONResponse.make(.ok, Views.webhookResult(result))
        }
    }

    // MARK: Reports and operations

    func monthlyReport(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.reportsRead)
        let month = try request.query("month").map { text throws(PledgerError) in try ReportMonth.parse(text) }
        let zone = try parseTimeZone(request.query("tz") ?? "UTC")
        let format = request.query("format") ?? "json"
        guard let reportFormat = ReportFormat(rawValue: format), reportFormat != .table else {
            throw PledgerError.invalid(
                "format", "\"\(format)\" is not a report format here; use json, csv, markdown or html")
        }
        let report = try await app.monthlyReport(month: month, timeZone: zone)
        return JSONResponse.raw(
            .ok, Array(report.rendered(as: reportFormat).utf8), contentType: reportFormat.contentType)
    }

    func health(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        struct Health: Encodable {
            let status: String
            let database: String
        }
        guard await app.isHealthy() else {
            return JSONResponse.make(.serviceUnavailable, Health(status: "unavailable", database: "not answering"))
        }
        return JSONResponse.make(.ok, Health(status: "ok", database: "ok"))
    }

    func prometheus(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        JSONResponse.raw(.ok, Array(metrics.render().utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    func openAPI(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        JSONResponse.raw(.ok, Array(OpenAPIDocument.yaml.utf8), contentType: "application/yaml; charset=utf-8")
    }

    // MARK: Idempotency

    /// Runs a write under the request's `Idempotency-Key`, if it has one.
    private func idempotent<T: Sendable>(
        _ request: Request, _ context: PledgerRequestContext, _ bytes: [UInt8],
        operation: (CommitHook<T>?) async throws -> T, render: @escaping @Sendable (T) -> RememberedResponse
    ) async throws -> Response {
        let claim = try request.headers[.idempotencyKey].map { key in
            IdempotencyClaim(
                owner: context.token?.name ?? "", key: try IdempotencyClaim.checkKey(key),
                method: request.method.rawValue, path: request.uri.path, body: bytes)
        }
        let (remembered, replayed) = try await app.once(claim, operation: operation, render: render)
        var response = JSONResponse.raw(HTTPResponse.Status(code: remembered.status), remembered.body)
        if replayed { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return response
    }
}
