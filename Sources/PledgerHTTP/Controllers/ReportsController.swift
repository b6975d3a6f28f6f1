import Foundation
import Hummingbird
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerWebhooks

/// `/v1/reports`: the monthly revenue report and the box's sources, in the formats a machine reads.
struct ReportsController: Sendable {
    let reports: ReportService

    var endpoints: RouteCollection<PledgerRequestContext> {
        RouteCollection(context: PledgerRequestContext.self)
            .get("monthly", use: monthlyReport)
            .get("sources", use: sourcesReport)
    }

    /// The `format` query parameter: json (default), csv, markdown or html.
    private func format(_ request: Request) throws -> ReportFormat {
        let format = request.query("format") ?? "json"
        guard let reportFormat = ReportFormat(rawValue: format), reportFormat != .table else {
            throw PledgerError.invalid(
                "format", "\"\(format)\" is not a report format here; use json, csv, markdown or html")
        }
        return reportFormat
    }

    func monthlyReport(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.reportsRead)
        let month = try request.query("month").map { text throws(PledgerError) in try ReportMonth.parse(text) }
        let zone = try parseTimeZone(request.query("tz") ?? "UTC")
        let reportFormat = try format(request)
        let report = try await reports.monthly(month: month, timeZone: zone)
        return JSONResponse.raw(
            .ok, Array(report.rendered(as: reportFormat).utf8), contentType: reportFormat.contentType)
    }

    /// `GET /v1/reports/sources?month=&tz=&format=`: the same as `pledger report sources`.
    func sourcesReport(_ request: Request, _ context: PledgerRequestContext) async throws -> Response {
        try context.require(.reportsRead)
        let month = try request.query("month").map { text throws(PledgerError) in try ReportMonth.parse(text) }
        let zone = try parseTimeZone(request.query("tz") ?? "UTC")
        let reportFormat = try format(request)
        let report = try await reports.sources(month: month, timeZone: zone)
        return JSONResponse.raw(
            .ok, Array(report.rendered(as: reportFormat).utf8), contentType: reportFormat.contentType)
    }
}
