import Foundation

/// A report that renders in every ``ReportFormat``: each format's text, and one switch that picks it.
public protocol RenderableReport: Encodable {
    /// One row per figure, for spreadsheets.
    var csv: String { get }
    var markdown: String { get }
    /// A self-contained page.
    var html: String { get }
    /// The terminal table; `colour` adds ANSI emphasis.
    func table(colour: Bool) -> String
}
