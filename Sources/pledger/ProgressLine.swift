import Foundation

/// The progress line long commands draw on standard error (`pledger import`, `pledger statements`):
/// one line rewritten in place, ended when the work is done.
enum ProgressLine {
    /// Only where a person watches: never into a log or a pipe.
    static var wanted: Bool { isatty(STDERR_FILENO) == 1 }

    /// `importing: 120/500 rows`; the last step ends the line.
    static func show(_ label: String, done: Int, total: Int, unit: String) {
        let end = done == total ? "\n" : ""
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) \(unit)\(end)".utf8))
    }
}
