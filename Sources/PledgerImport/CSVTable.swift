import Foundation
import SwiftCSV

/// A CSV export read whole: its header and its records, each with the line it starts on.
///
/// SwiftCSV does the parsing (quoted fields with delimiters, quotes and line breaks inside, CRLF);
/// this type adds what an import needs on top: a UTF-8 byte order mark dropped, the delimiter
/// guessed from the header line when not given, and line numbers for every record.
public struct CSVTable: Sendable {
    /// One record: its fields in header order (missing trailing fields are empty).
    public struct Record: Sendable {
        public let source: SourceRow
        let fields: [String]
        let columns: [String: Int]

        /// The field under `column`, trimmed of surrounding spaces; nil when the file has no such column.
        public subscript(column: String) -> String? {
            guard let index = columns[column] else { return nil }
            guard index < fields.count else { return "" }
            let field = fields[index]
            // Most fields have no spaces around them: only those pay for Foundation's trimming.
            guard field.first?.isWhitespace == true || field.last?.isWhitespace == true else { return field }
            return field.trimmingCharacters(in: .whitespaces)
        }

        /// The field under `column`, nil when the column is absent or the field empty.
        public func value(_ column: String) -> String? {
            guard let text = self[column], !text.isEmpty else { return nil }
            return text
        }
    }

    public let file: String
    public let header: [String]
    public let records: [Record]
    public let delimiter: Character

    /// Parses `data` as UTF-8 CSV with a header row.
    /// - Parameters:
    ///   - file: the name refusals give for this file.
    ///   - delimiter: `,`, `;` or a tab; guessed from the header line when nil.
    /// - Throws: ``ImportRefusal`` (line 1) for a file that is not UTF-8, is empty, or cannot be parsed.
    public init(data: Data, file: String, delimiter: Character? = nil) throws(ImportRefusal) {
        self.file = file
        guard var text = String(data: data, encoding: .utf8) else {
            throw ImportRefusal(file: file, line: 1, column: nil, reason: "is not UTF-8 text; export it as UTF-8 CSV")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ImportRefusal(file: file, line: 1, column: nil, reason: "is empty; expected a header row")
        }
        let chosen = delimiter ?? Self.guessDelimiter(text)
        self.delimiter = chosen
        let parsed: EnumeratedCSV
        do {
            parsed = try EnumeratedCSV(string: text, delimiter: .character(chosen), loadColumns: false)
        } catch let error as CSVParseError {
            let detail: String
            switch error {
            case .generic(let message), .quotation(let message): detail = message
            }
            let named = chosen == "\t" ? "tab" : "\"\(chosen)\""
            throw ImportRefusal(
                file: file, line: 1, column: nil,
                reason:
                    "cannot be read as CSV with the delimiter \(named) (\(detail)); is it the right file and delimiter?"
            )
        } catch {
            throw ImportRefusal(file: file, line: 1, column: nil, reason: "cannot be read as CSV: \(error)")
        }
        header = parsed.header.map { $0.trimmingCharacters(in: .whitespaces) }
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() where columns[name] == nil { columns[name] = index }
        // Records start one line after the previous one, plus the line breaks inside its quoted fields.
        var line = 1 + Self.lineBreaks(in: parsed.header) + 1
        var records: [Record] = []
        records.reserveCapacity(parsed.rows.count)
        for fields in parsed.rows {
            defer { line += 1 + Self.lineBreaks(in: fields) }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            records.append(Record(source: SourceRow(file: file, line: line), fields: fields, columns: columns))
        }
        self.records = records
    }

    /// Reads the file at `url`; its last path component names it in refusals.
    public init(contentsOf url: URL, delimiter: Character? = nil) throws(ImportRefusal) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImportRefusal(
                file: url.path, line: 1, column: nil, reason: "cannot be read: \(error.localizedDescription)")
        }
        try self.init(data: data, file: url.lastPathComponent, delimiter: delimiter)
    }

    /// Refuses a file that lacks any of `required` columns, naming them.
    public func require(_ required: [String]) throws(ImportRefusal) {
        let present = Set(header)
        let missing = required.filter { !present.contains($0) }
        guard missing.isEmpty else {
            let names = missing.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ImportRefusal(
                file: file, line: 1, column: missing[0],
                reason: "the header lacks the column\(missing.count == 1 ? "" : "s") \(names)")
        }
    }

    /// The delimiter the header line uses most among `,`, `;` and tab (quoted text aside); `,` on a tie.
    static func guessDelimiter(_ text: String) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
            } else if !quoted {
                if character.isNewline { break }
                if counts[character] != nil { counts[character, default: 0] += 1 }
            }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != ",") }
        return (best?.value ?? 0) > 0 ? best!.key : ","
    }

    /// Line breaks inside the fields: LF, CRLF and a lone CR each count once (bytes, not graphemes: fast).
    private static func lineBreaks(in fields: [String]) -> Int {
        var count = 0
        for field in fields {
            var previousCR = false
            for byte in field.utf8 {
                if byte == 0x0A {
                    if !previousCR { count += 1 }
                } else if byte == 0x0D {
                    count += 1
                }
                previousCR = byte == 0x0D
            }
        }
        return count
    }
}
