import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// `/v1/reminders`: "remind me later", what is due, and the sender's acknowledgement.
struct RemindersController: Sendable {
    let reminders: ReminderService
    let idempotency: IdempotentRoute
    let reader: RequestReader

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .post(use: scheduleReminder)
            .get("due", use: dueReminders)
            .post("{id}/sent", use: reminderSent)
    }

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
        return try await idempotency.run(request, context, bytes) { commit in
            try await reminders.schedule(reminder, commit: commit)
        } render: { result in
            ReplayableResponse(
                status: result.deferred ? 200 : 201,
                body: Array(Views.json(Views.reminder(result.reminder, deferred: result.deferred)).utf8))
        }
    }

    func dueReminders(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.remindersRead)
        let limit = try request.queryInt("limit", default: 100)
        guard (1...1000).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 1000") }
        let due = try await reminders.due(limit: limit)
        struct Page: Encodable { let data: [Views.ReminderView] }
        return JSONResponse.make(.ok, Page(data: due.map { Views.reminder($0) }))
    }

    func reminderSent(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.remindersWrite)
        let id = ID<Reminder>(try context.parameters.require("id"))
        let bytes = try await reader.bytes(request)
        return try await idempotency.run(request, context, bytes) { commit in
            try await reminders.markSent(id: id, commit: commit)
        } render: {
            ReplayableResponse(status: 200, body: Array(Views.json(Views.reminder($0)).utf8))
        }
    }
}
