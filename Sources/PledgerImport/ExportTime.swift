import Foundation
import PledgerCore

/// The instants exports write: Stripe's dashboard `2024-03-05 14:07` or `2024-03-05 14:07:09`
/// (UTC, as the `(UTC)` in its column names says), a bare date `2024-03-05` (midnight UTC) where
/// a CRM gives only the day, or ISO 8601 with an offset.
public enum ExportTime {
    /// - Throws: `PledgerError.invalid(field, …)` naming the formats it reads.
    public static func parse(_ text: String, field: String) throws(PledgerError) -> Date {
        // Foundation's trimming only when an end is not a visible ASCII character (rarely).
        let ends = (text.utf8.first ?? 0, text.utf8.last ?? 0)
        let visible = (0x21...0x7E).contains(ends.0) && (0x21...0x7E).contains(ends.1)
        let trimmed = visible ? text : text.trimmingCharacters(in: .whitespaces)
        var iso = trimmed
        if trimmed.count == 10, trimmed.dropFirst(4).first == "-" {
            iso = trimmed + "T00:00:00Z"
        } else if trimmed.count >= 16, trimmed.dropFirst(10).first == " ",
            !trimmed.contains("+"), !trimmed.hasSuffix("Z")
        {
            let (day, time) = (trimmed.prefix(10), trimmed.dropFirst(11))
            iso = "\(day)T\(time.count == 5 ? time + ":00" : String(time))Z"
        }
        do {
            return try Timestamp.parse(iso, field: field)
        } catch {
            throw .invalid(
                field,
                "\"\(trimmed)\" is not a date; use 2024-03-05 14:07 (UTC), 2024-03-05 or ISO 8601 such as 2024-03-05T14:07:00Z"
            )
        }
    }

    /// Parses `text` by a pattern of `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss` and literal characters
    /// (`dd/MM/yyyy HH:mm`), as UTC. Every digit the pattern asks for must be there.
    public static func parse(_ text: String, pattern: String, field: String) throws(PledgerError) -> Date {
        let trimmed = Array(text.trimmingCharacters(in: .whitespaces))
        let shape = Array(pattern)
        var values: [String: Int] = ["HH": 0, "mm": 0, "ss": 0]
        var (i, j) = (0, 0)
        let refusal = PledgerError.invalid(field, "\"\(text)\" does not match the date format \(pattern)")
        while j < shape.count {
            let rest = String(shape[j...])
            if let token = ["yyyy", "MM", "dd", "HH", "mm", "ss"].first(where: { rest.hasPrefix($0) }) {
                guard i + token.count <= trimmed.count else { throw refusal }
                let digits = String(trimmed[i..<i + token.count])
                guard digits.allSatisfy(\.isASCII), let number = Int(digits), digits.allSatisfy(\.isNumber) else {
                    throw refusal
                }
                values[token] = number
                i += token.count
                j += token.count
            } else {
                guard i < trimmed.count, trimmed[i] == shape[j] else { throw refusal }
                i += 1
                j += 1
            }
        }
        guard i == trimmed.count, let year = values["yyyy"], let month = values["MM"], let day = values["dd"] else {
            throw refusal
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let iso = "\(year)-\(two(month))-\(two(day))T\(two(values["HH"]!)):\(two(values["mm"]!)):\(two(values["ss"]!))Z"
        do {
            return try Timestamp.parse(iso, field: field)
        } catch {
            throw .invalid(field, "\"\(text)\" is not a real date (format \(pattern))")
        }
    }
}
