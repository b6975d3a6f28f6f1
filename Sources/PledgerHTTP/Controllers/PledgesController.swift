import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerWebhooks

/// `/v1/pledges`: record, list, read, pause, resume and cancel pledges.
struct PledgesController: Sendable {
    let pledges: PledgeService
    let idempotency: IdempotentRoute
    let reader: RequestReader
    let clock: WallClock

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .post(use: createPledge)
            .get(use: listPledges)
            .get("{id}", use: getPledge)
            .post("{id}/cancel", use: cancelPledge)
            .post("{id}/pause", use: pausePledge)
            .post("{id}/resume", use: resumePledge)
    }

    func createPledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesWrite)
        let (body, bytes) = try await reader.json(request)
        try body.allowOnly(["email", "external_ref", "amount", "currency", "cadence", "source"])
        let currency = try Currency.parse(try body.string("currency"))
        let amount = try Money.minor(try body["amount"].requireInteger(), currency: currency)
        let pledge = PledgeRequest(
            email: try body.string("email"), externalRef: try body.optionalString("external_ref"), amount: amount,
            cadence: try Cadence.parse(try body.string("cadence")), source: try body.optionalString("source"))
        let now = clock.now
        return try await idempotency.run(request, context, bytes) { commit in
            try await pledges.record(pledge, commit: commit)
        } render: {
            ReplayableResponse(status: 201, body: Array(Views.json(Views.pledge($0, now: now)).utf8))
        }
    }

    func getPledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesRead)
        let (pledge, attribution) = try await pledges.pledgeWithAttribution(
            id: ID(try context.parameters.require("id")))
        return JSONResponse.make(.ok, Views.pledge(pledge, now: clock.now, attribution: attribution))
    }

    func listPledges(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesRead)
        let status = try request.query("status").map { text throws(PledgerError) in try PledgeStatus.parse(text) }
        let limit = try request.queryInt("limit", default: 50)
        guard (1...500).contains(limit) else { throw PledgerError.invalid("limit", "must be from 1 to 500") }
        let page = try await pledges.page(
            status: status, email: request.query("email"), limit: limit, after: request.query("cursor"))
        struct Page: Encodable {
            let data: [Views.PledgeView]
            let nextCursor: String?
        }
        let now = clock.now
        return JSONResponse.make(
            .ok, Page(data: page.pledges.map { Views.pledge($0, now: now) }, nextCursor: page.nextCursor))
    }

    /// Pauses a pledge, for the membership desk: `months` (1–3) or `resumes_at` plan its end;
    /// neither leaves it paused until resumed. An empty body is allowed.
    func pausePledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesWrite)
        let id = ID<Pledge>(try context.parameters.require("id"))
        let (body, bytes) = try await reader.jsonOrEmpty(request)
        try body.allowOnly(["months", "resumes_at"])
        let months = try body.optionalInteger("months")
        let until = try body.optionalString("resumes_at").map { text throws(PledgerError) in
            try Timestamp.parse(text, field: "resumes_at")
        }
        let length: PledgeService.PauseLength?
        switch (months, until) {
        case (.some, .some): throw PledgerError.invalid("months", "give months or resumes_at, not both")
        case (.some(let months), nil):
            guard let months = Int(exactly: months) else { throw PledgerError.invalid("months", "must be 1, 2 or 3") }
            length = .months(months)
        case (nil, .some(let until)): length = .until(until)
        case (nil, nil): length = nil
        }
        return try await answer(request, context, bytes) { commit in
            try await pledges.pause(id: id, length: length, commit: commit)
        }
    }

    func resumePledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesWrite)
        let id = ID<Pledge>(try context.parameters.require("id"))
        return try await answer(request, context, try await reader.bytes(request)) { commit in
            try await pledges.resume(id: id, commit: commit)
        }
    }

    func cancelPledge(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.pledgesWrite)
        let id = ID<Pledge>(try context.parameters.require("id"))
        return try await answer(request, context, try await reader.bytes(request)) { commit in
            try await pledges.cancel(id: id, commit: commit)
        }
    }

    /// Runs a change of one pledge under the request's idempotency key and answers 200 with the pledge.
    private func answer(
        _ request: Request, _ context: PledgerRequestContext, _ bytes: [UInt8],
        _ change: (CommitHook<Pledge>?) async throws -> Pledge
    ) async throws -> Response {
        let now = clock.now
        return try await idempotency.run(request, context, bytes, operation: change) {
            ReplayableResponse(status: 200, body: Array(Views.json(Views.pledge($0, now: now)).utf8))
        }
    }
}
