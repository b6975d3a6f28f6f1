import Foundation

/// A CSV export: its header and its records, each with the line it starts on.
///
/// The file is read as UTF-8 bytes and walked once to find where each record starts (quoted fields
/// with delimiters, doubled quotes and line breaks inside; LF, CRLF or a lone CR between records);
/// a record's fields are made into strings only when it is read, so a large export costs its bytes
/// and a few integers per record, not a string per field held for the whole run. On top of the
/// parsing: a UTF-8 byte order mark dropped, the delimiter guessed from the header line when not
/// given, blank lines skipped, and line numbers as an editor shows them.
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
            // An ASCII letter, digit or sign at both ends settles it without a Character's properties.
            guard let first = field.utf8.first, let last = field.utf8.last else { return field }
            if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return field }
            guard field.first?.isWhitespace == true || field.last?.isWhitespace == true else { return field }
            return field.trimmingCharacters(in: .whitespaces)
        }

        /// The field under `column`, nil when the column is absent or the field empty.
        public func value(_ column: String) -> String? {
            guard let text = self[column], !text.isEmpty else { return nil }
            return text
        }
    }

    /// The records, each parsed from the file's bytes when it is read.
    public struct Records: RandomAccessCollection, Sendable {
        let bytes: [UInt8]
        /// Where each record starts in `bytes`, and the line it starts on.
        let starts: [Int]
        let lines: [Int]
        let delimiter: UInt8
        let file: String
        let columns: [String: Int]

        public var startIndex: Int { 0 }
        public var endIndex: Int { starts.count }

        public subscript(position: Int) -> Record {
            let fields = bytes.withUnsafeBufferPointer { buffer in
                // The walk in `init` accepted these bytes: reading them again cannot fail.
                (try? CSVScanner.record(in: buffer, from: starts[position], delimiter: delimiter, collect: true))?
                    .fields ?? []
            }
            return Record(source: SourceRow(file: file, line: lines[position]), fields: fields, columns: columns)
        }
    }

    public let file: String
    public let header: [String]
    public let records: Records
    public let delimiter: Character

    /// Parses `data` as UTF-8 CSV with a header row.
    /// - Parameters:
    ///   - file: the name refusals give for this file.
    ///   - delimiter: `,`, `;` or a tab; guessed from the header line when nil.
    /// - Throws: ``ImportRefusal`` (line 1) for a file that is not UTF-8, is empty, or cannot be parsed.
    public init(data: Data, file: String, delimiter: Character? = nil) throws(ImportRefusal) {
        self.file = file
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Field boundaries are ASCII bytes, so a field cut from valid UTF-8 is valid UTF-8: the
        // whole file is checked once here, and the fields need no check of their own.
        if bytes.contains(where: { $0 >= 0x80 }), String(validating: bytes, as: UTF8.self) == nil {
            throw ImportRefusal(file: file, line: 1, column: nil, reason: "is not UTF-8 text; export it as UTF-8 CSV")
        }
        guard bytes.contains(where: { !CSVScanner.isBlank($0) }) else {
            throw ImportRefusal(file: file, line: 1, column: nil, reason: "is empty; expected a header row")
        }
        let chosen = delimiter ?? Self.guessDelimiter(bytes)
        self.delimiter = chosen
        guard let separator = chosen.asciiValue else {
            throw ImportRefusal(
                file: file, line: 1, column: nil, reason: "the delimiter \"\(chosen)\" is not one ASCII character")
        }
        let walked = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(CSVScanner.Malformed) in try CSVScanner.walk(buffer, delimiter: separator) }
        }
        let found: (header: [String], starts: [Int], lines: [Int])
        switch walked {
        case .success(let value): found = value
        case .failure(let malformed):
            let named = chosen == "\t" ? "tab" : "\"\(chosen)\""
            throw ImportRefusal(
                file: file, line: 1, column: nil,
                reason:
                    "cannot be read as CSV with the delimiter \(named) (line \(malformed.line): \(malformed.reason)); is it the right file and delimiter?"
            )
        }
        header = found.header.map { $0.trimmingCharacters(in: .whitespaces) }
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() where columns[name] == nil { columns[name] = index }
        records = Records(
            bytes: bytes, starts: found.starts, lines: found.lines, delimiter: separator, file: file, columns: columns)
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
    static func guessDelimiter(_ bytes: [UInt8]) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for byte in bytes {
            if byte == CSVScanner.quote {
                quoted.toggle()
            } else if !quoted {
                if byte == CSVScanner.lineFeed || byte == CSVScanner.carriageReturn { break }
                let character = Character(Unicode.Scalar(byte))
                if counts[character] != nil { counts[character, default: 0] += 1 }
            }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != ",") }
        return (best?.value ?? 0) > 0 ? best!.key : ","
    }
}

/// The CSV grammar over bytes, as spreadsheets write it: a field may be quoted, and inside quotes a
/// doubled quote is one quote and delimiters and line breaks are text; spaces before a field and
/// after its closing quote are dropped; a quote inside an unquoted field must be doubled; a record
/// ends at LF, CRLF or a lone CR.
enum CSVScanner {
    static let quote: UInt8 = 0x22
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    struct Malformed: Error {
        let line: Int
        let reason: String
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == lineFeed || byte == carriageReturn || byte == 0x0B || byte == 0x0C
    }

    /// The header's fields, and where each non-blank record after it starts and on which line.
    static func walk(_ buffer: UnsafeBufferPointer<UInt8>, delimiter: UInt8) throws(Malformed) -> (
        header: [String], starts: [Int], lines: [Int]
    ) {
        let first = try record(in: buffer, from: 0, line: 1, delimiter: delimiter, collect: true)
        var starts: [Int] = []
        var lines: [Int] = []
        var offset = first.end
        var line = first.nextLine
        while offset < buffer.count {
            let next = try record(in: buffer, from: offset, line: line, delimiter: delimiter, collect: false)
            if !next.blank {
                starts.append(offset)
                lines.append(line)
            }
            offset = next.end
            line = next.nextLine
        }
        return (first.fields, starts, lines)
    }

    /// Reads the record starting at `start`: its fields (when `collect`), whether every field is empty
    /// or spaces, where the next record starts and on which line.
    static func record(
        in buffer: UnsafeBufferPointer<UInt8>, from start: Int, line startLine: Int = 1, delimiter: UInt8,
        collect: Bool
    ) throws(Malformed) -> (fields: [String], blank: Bool, end: Int, nextLine: Int) {
        var fields: [String] = []
        var field: [UInt8] = []
        var blank = true
        var line = startLine
        var index = start
        let count = buffer.count
        // The field being read: not begun (spaces before it are dropped), unquoted, or quoted; and
        // in a quoted one, whether the closing quote has been passed.
        var begun = false
        var quoted = false
        var closed = false

        func finishField() {
            if collect { fields.append(String(decoding: field, as: UTF8.self)) }
            field.removeAll(keepingCapacity: true)
            begun = false
            quoted = false
            closed = false
        }
        func append(_ byte: UInt8) {
            if collect { field.append(byte) }
            if byte != space && byte != tab { blank = false }
        }

        while index < count {
            let byte = buffer[index]
            index += 1
            let isBreak = byte == lineFeed || byte == carriageReturn
            // CRLF is one break; a lone CR or LF is one too.
            let crlf = byte == carriageReturn && index < count && buffer[index] == lineFeed
            if isBreak {
                if crlf { index += 1 }
                line += 1
            }
            if quoted && !closed {
                if byte == quote {
                    if index < count, buffer[index] == quote {
                        append(quote)
                        index += 1
                    } else {
                        closed = true
                    }
                } else {
                    // A line break inside quotes is text, as written (CRLF kept whole).
                    append(byte)
                    if crlf { append(lineFeed) }
                }
                continue
            }
            if byte == delimiter {
                finishField()
                continue
            }
            if isBreak {
                finishField()
                return (fields, blank, index, line)
            }
            if quoted {
                // Past the closing quote only spaces may stand before the delimiter.
                guard byte == space || byte == tab else {
                    throw Malformed(line: line, reason: "text after a closing quote must be a delimiter")
                }
                continue
            }
            if !begun {
                if byte == space || byte == tab { continue }
                begun = true
                if byte == quote {
                    quoted = true
                    continue
                }
                append(byte)
                continue
            }
            if byte == quote {
                guard index < count, buffer[index] == quote else {
                    throw Malformed(line: line, reason: "a quote inside an unquoted field must be doubled")
                }
                append(quote)
                index += 1
                continue
            }
            append(byte)
        }
        // The end of the file ends the last record, quoted or not.
        if begun || !fields.isEmpty || !field.isEmpty { finishField() }
        return (fields, blank, index, line)
    }
}
