import PledgerCore

/// A strict RFC 8259 parser for request bodies and processor payloads.
///
/// Foundation's `JSONDecoder` let through what Pledger must refuse: it read `500.0` and `5e2` as the
/// integer 500 (amounts must be JSON integers, as the CLI refuses `1e3`), kept the first of two equal
/// keys (so a body could mean two things), and failed the whole body on `1e400` in a text field
/// (a 400 instead of a 422 on that field). Here an integer is only a literal without fraction or
/// exponent that fits `Int64`; every other number is kept as "a number", never as money; a key seen
/// twice in one object is an error naming it.
struct StrictJSONParser {
    /// Deeper documents are refused rather than recursed into (a hostile `[[[[…` must not exhaust the stack).
    static let maxDepth = 512

    /// Why a document was refused. `duplicateKey` names the key's dotted path.
    enum Failure: Error, Equatable {
        case malformed(String)
        case duplicateKey(String)
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one whole document: a value with only whitespace around it.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue.Node {
        var parser = StrictJSONParser(bytes)
        parser.skipWhitespace()
        let node = try parser.value(depth: 0, path: "")
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw .malformed("text after the JSON value") }
        return node
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ literal: String) throws(Failure) {
        for byte in literal.utf8 {
            guard current == byte else { throw .malformed("expected \(literal)") }
            index += 1
        }
    }

    private mutating func value(depth: Int, path: String) throws(Failure) -> JSONValue.Node {
        guard depth < Self.maxDepth else { throw .malformed("nested deeper than \(Self.maxDepth) levels") }
        switch current ?? 0 {
        case UInt8(ascii: "{"): return try object(depth: depth, path: path)
        case UInt8(ascii: "["): return try array(depth: depth, path: path)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw .malformed("expected a value")
        }
    }

    private mutating func object(depth: Int, path: String) throws(Failure) -> JSONValue.Node {
        index += 1
        var fields: [String: JSONValue.Node] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw .malformed("expected a key") }
            let key = try string()
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard fields[key] == nil else { throw .duplicateKey(keyPath) }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            fields[key] = try value(depth: depth + 1, path: keyPath)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(fields)
            default: throw .malformed("expected , or }")
            }
        }
    }

    private mutating func array(depth: Int, path: String) throws(Failure) -> JSONValue.Node {
        index += 1
        var items: [JSONValue.Node] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1, path: "\(path)[\(items.count)]"))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default: throw .malformed("expected , or ]")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        var utf8: [UInt8] = []
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw .malformed("invalid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0..<0x20:
                throw .malformed("a raw control character in a string")
            default:
                utf8.append(byte)
            }
        }
        throw .malformed("an unterminated string")
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(Failure) {
        guard let byte = current else { throw .malformed("an unterminated escape") }
        index += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let value = simple[byte] {
            utf8.append(value)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw .malformed("an unknown escape") }
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard current == UInt8(ascii: "\\") else { throw .malformed("a lone surrogate") }
            index += 1
            guard current == UInt8(ascii: "u") else { throw .malformed("a lone surrogate") }
            index += 1
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw .malformed("a lone surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw .malformed("a lone surrogate")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw .malformed("an invalid \\u escape") }
        utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw .malformed("a short \\u escape") }
            index += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .malformed("a bad \\u escape")
            }
            value = value * 16 + digit
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: an integer only without fraction or exponent.
    private mutating func number() throws(Failure) -> JSONValue.Node {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        func digits(_ parser: inout StrictJSONParser) -> Int {
            let from = parser.index
            while let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                parser.index += 1
            }
            return parser.index - from
        }
        let intStart = index
        let intDigits = digits(&self)
        guard intDigits > 0 else { throw .malformed("a number without digits") }
        guard !(bytes[intStart] == UInt8(ascii: "0") && intDigits > 1) else { throw .malformed("a leading zero") }
        var integral = true
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw .malformed("a fraction without digits") }
            integral = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw .malformed("an exponent without digits") }
            integral = false
        }
        guard integral, let value = Int64(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            return .number
        }
        return .integer(value)
    }
}
