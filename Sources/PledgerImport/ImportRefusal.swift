import PledgerCore

/// A row an import will not take, and why: the file, the line the row starts on, the column at
/// fault (when one is) and the reason, so a person can fix the export and run the import again.
public struct ImportRefusal: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// The file's name as it was given.
    public let file: String
    /// The 1-based line the row starts on (the header is line 1).
    public let line: Int
    /// The column's header, when one column is at fault.
    public let column: String?
    public let reason: String

    public init(file: String, line: Int, column: String?, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `payments.csv:12: column "Amount": USD allows at most 2 decimals`.
    public var description: String {
        if let column { return "\(file):\(line): column \"\(column)\": \(reason)" }
        return "\(file):\(line): \(reason)"
    }
}

/// Where an imported value came from: enough to name the row when a rule later refuses it.
public struct SourceRow: Sendable, Equatable {
    public let file: String
    public let line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// This row refused, with `column` at fault.
    public func refusal(_ column: String?, _ reason: String) -> ImportRefusal {
        ImportRefusal(file: file, line: line, column: column, reason: reason)
    }

    /// This row refused by a rule of Core: the column is the one the error's field names.
    public func refusal(_ error: PledgerError, column: String? = nil) -> ImportRefusal {
        ImportRefusal(file: file, line: line, column: column ?? error.field, reason: error.message)
    }
}
