import Foundation
import HTTPTypes
import Hummingbird
import PledgerApp
import PledgerCore

/// `/v1/endpoints`: the URLs that receive signed events. A secret is in the answer to create and
/// rotate-secret only; listings never carry one.
struct EndpointsController: Sendable {
    let service: EndpointService
    let reader: RequestReader

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get(use: list)
            .post(use: create)
            .post("{id}/disable", use: disable)
            .post("{id}/enable", use: enable)
            .post("{id}/rotate-secret", use: rotateSecret)
            .delete("{id}", use: remove)
    }

    struct Page: Encodable { let data: [Views.EndpointView] }

    func list(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.endpointsWrite)
        return JSONResponse.make(.ok, Page(data: try await service.list().map { Views.endpoint($0) }))
    }

    func create(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.endpointsWrite)
        let (body, _) = try await reader.json(request)
        try body.allowOnly(["url", "events", "description"])
        let added = try await service.add(
            EndpointRequest(
                url: try body.string("url"), events: try body.string("events"),
                description: try body.optionalString("description")))
        return JSONResponse.make(.created, Views.endpoint(added.endpoint, secret: added.secret))
    }

    func disable(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.endpointsWrite)
        return JSONResponse.make(.ok, Views.endpoint(try await service.disable(try id(context))))
    }

    func enable(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.endpointsWrite)
        return JSONResponse.make(.ok, Views.endpoint(try await service.enable(try id(context))))
    }

    func rotateSecret(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.endpointsWrite)
        let rotated = try await service.rotateSecret(try id(context))
        return JSONResponse.make(.ok, Views.endpoint(rotated.endpoint, secret: rotated.secret))
    }

    func remove(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.endpointsWrite)
        return JSONResponse.make(.ok, Views.endpoint(try await service.remove(try id(context))))
    }

    private func id(_ context: PledgerRequestContext) throws -> ID<Endpoint> {
        ID<Endpoint>(try context.parameters.require("id"))
    }
}
