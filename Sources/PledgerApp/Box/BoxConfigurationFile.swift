import Foundation
import PledgerCore
import TOMLKit

/// Reads `serve --box FILE`: TOML, or JSON when the name ends in `.json`. Every problem is a
/// `PledgerError` naming the key (`presets.monthly.USD`) and the reason, so `serve` stops at start.
public enum BoxConfigurationFile {
    public static func load(path: String, config: PledgerConfig) throws(PledgerError) -> BoxConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid("box", "cannot read \(path)")
        }
        let document: BoxConfiguration.Document
        do {
            if path.lowercased().hasSuffix(".json") {
                document = try JSONDecoder().decode(BoxConfiguration.Document.self, from: data)
            } else {
                document = try TOMLDecoder().decode(
                    BoxConfiguration.Document.self, from: String(decoding: data, as: UTF8.self))
            }
        } catch let error as BoxConfiguration.UnknownKey {
            throw .invalid(error.path.joined(separator: "."), "is not a key of the box configuration (docs/box.md)")
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw .invalid("box", "\(path) is not valid \(path.hasSuffix(".json") ? "JSON" : "TOML"): \(error)")
        }
        return try BoxConfiguration(document: document, minimums: config.minimums, maximums: config.maximums)
    }

    private static func describe(_ error: DecodingError) -> PledgerError {
        func key(_ path: [any CodingKey]) -> String {
            var names: [String] = []
            // TOMLKit repeats the last key in some contexts; a path never names one key twice in a row.
            for name in path.map({ $0.intValue.map { "[\($0)]" } ?? $0.stringValue }) where name != names.last {
                names.append(name)
            }
            return names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .invalid(key(context.codingPath), "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return .invalid(key(context.codingPath), "must be \(describe(type))")
        case .keyNotFound(let missing, let context):
            return .invalid(key(context.codingPath + [missing]), "is required")
        case .dataCorrupted(let context):
            return .invalid(
                context.codingPath.isEmpty ? "box" : key(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalid("box", "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is [String].Type: "a list of strings"
        case is [Int64].Type: "a list of whole numbers (minor units)"
        default: "a \(type)"
        }
    }
}
