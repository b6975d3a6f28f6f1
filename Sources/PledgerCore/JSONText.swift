import Foundation

/// JSON in Pledger's one shape, for the API, the CLI's `--format json` and the reports: snake_case
/// keys, sorted, pretty-printed, money in minor units as the types encode it.
public enum JSONText {
    /// The value as JSON text with a final newline.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
