import Foundation
import PledgerCore

/// Plain values for CSV: ASCII minus, no grouping, so spreadsheets read them as numbers.
public enum CSVText {
    static func plain(_ value: Int64, _ unit: ReportSheet.Unit) -> String {
        switch unit {
        case .money(let code):
            Currency(code: code).map { Money(minorUnits: value, currency: $0).decimalString } ?? String(value)
        case .count: String(value)
        case .permille: String(Percent.plainText(permille: value)!.dropLast())
        }
    }

    /// Quotes a field that holds a comma, a quote or a line break (RFC 4180).
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
