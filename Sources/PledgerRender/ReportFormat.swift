/// The report's output formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, csv, markdown, html

    /// The media type to serve a rendering with.
    public var contentType: String {
        switch self {
        case .table: "text/plain; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }
}
