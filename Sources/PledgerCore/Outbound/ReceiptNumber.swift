import Foundation

/// A payment's receipt number, `2026-000123`: sequential within the calendar year (UTC) the
/// payment was made in, with no gaps, as finance teams and tax receipts expect.
public struct ReceiptNumber: Sendable, Hashable, CustomStringConvertible, Codable {
    public let year: Int
    /// 1 for the year's first receipt.
    public let sequence: Int64

    public init(year: Int, sequence: Int64) {
        self.year = year
        self.sequence = sequence
    }

    /// The calendar year (UTC) a payment made at `instant` is numbered in.
    public static func year(of instant: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.component(.year, from: instant)
    }

    /// Six digits at least, so numbers sort as text within a year; more once a year passes 999,999.
    public var description: String {
        let digits = String(sequence)
        return "\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let sequence = Int64(parts[1]) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a receipt number"))
        }
        self.init(year: year, sequence: sequence)
    }
}
