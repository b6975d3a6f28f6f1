import Foundation
import PledgerCore

/// Number formatting shared by the human-readable formats.
enum ReportText {
    /// "1,234.50" in the currency's decimals, with the Unicode minus when negative.
    static func amount(_ minorUnits: Int64, _ code: String) -> String {
        guard let currency = Currency(code: code) else { return minus(String(minorUnits)) }
        let text = Money(minorUnits: minorUnits, currency: currency).grouped
        return minus(String(text.dropLast(code.count + 1)))
    }

    /// "1,234".
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "\u{2212}" : "") + grouped
    }

    /// A cell's text in its unit.
    static func value(_ value: Int64, _ unit: ReportSheet.Unit) -> String {
        switch unit {
        case .money(let code): amount(value, code)
        case .count: count(value)
        case .permille: (Percent.plainText(permille: value).map(minus) ?? "—")
        }
    }

    /// A change with its sign: "+152.00", "−5.00", "0.00"; a rate's change in percentage points ("+5.0 pts").
    static func change(_ value: Int64, _ unit: ReportSheet.Unit) -> String {
        let sign = value > 0 ? "+" : ""
        switch unit {
        case .money, .count: return sign + Self.value(value, unit)
        case .permille: return sign + minus(Percent.plainText(permille: value)!.dropLast() + " pts")
        }
    }

    /// The change in percent ("+12.5%", "—"); rates have none, their change is already in points.
    static func percent(_ row: ReportSheet.Row) -> String {
        guard let previous = row.previous, row.unit != .permille else { return "" }
        return Percent.changeText(from: previous, to: row.current)
    }

    private static func minus(_ text: some StringProtocol) -> String {
        text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : String(text)
    }

    /// "October 2026".
    static func monthName(_ month: String) -> String {
        guard let parsed = try? ReportMonth.parse(month) else { return month }
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(names[parsed.month - 1]) \(parsed.year)"
    }

    /// `text` broken into lines of at most `width` characters at spaces.
    static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
