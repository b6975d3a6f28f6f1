import Foundation
import PledgerApp
import PledgerCore
import PledgerRender
import PledgerTestSupport
import Testing

/// The JSON the reports print, checked against the schemas in `docs/` — so the documented shape
/// and the real one cannot drift apart (the schemas forbid keys they do not describe).
extension ThreeMonthScenarioTests {
    @Test("Monthly, range and cohort JSON match their schemas in docs/")
    func jsonMatchesSchemas() async throws {
        let schemas = try SchemaValidator(
            directory: fixturesDirectory().deletingLastPathComponent().appending(path: "docs"))
        let rates = try ExchangeRates.parse(
            "date,currency,rate\n2026-09-30,USD,0.8\n2026-10-30,USD,0.9\n", target: .eur, source: "rates.csv")
        let monthly = try await app.reports.monthly(month: .init(year: 2026, month: 10), timeZone: .gmt, rates: rates)
        let range = try await app.reports.range(from: .init(year: 2026, month: 8), to: .init(year: 2026, month: 11))
        let cohorts = try await app.reports.cohorts()
        for (file, json) in [
            ("monthly-report.schema.json", monthly.rendered(as: .json)),
            (
                "monthly-report.schema.json",
                try await app.reports.monthly(month: .init(year: 2026, month: 11)).rendered(as: .json)
            ),
            ("range-report.schema.json", range.rendered(as: .json)),
            ("cohort-report.schema.json", cohorts.rendered(as: .json)),
        ] {
            let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
            let problems = try schemas.validate(value, against: file)
            #expect(problems == [], "\(file)")
        }
        // The validator itself finds what it should.
        var broken = try #require(
            try JSONSerialization.jsonObject(with: Data(monthly.rendered(as: .json).utf8)) as? [String: Any])
        broken["surprise"] = 1
        broken["month"] = "2026-13"
        broken.removeValue(forKey: "basis")
        let problems = try schemas.validate(broken, against: "monthly-report.schema.json")
        #expect(problems.contains("$: missing basis"))
        #expect(problems.contains("$: surprise is not in the schema"))
        #expect(problems.contains("$.month: \"2026-13\" does not match ^[0-9]{4}-(0[1-9]|1[0-2])$"))
    }
}

/// A small JSON Schema checker for the keywords the report schemas use: type (object, array,
/// string, integer, null), required,
/// properties, additionalProperties (false), items, enum, pattern, minimum and `$ref` (within a
/// file or to a sibling file's `$defs`).
struct SchemaValidator {
    let directory: URL
    private var files: [String: [String: Any]] = [:]

    init(directory: URL) throws {
        self.directory = directory
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where name.hasSuffix(".schema.json") {
            let data = try Data(contentsOf: directory.appending(path: name))
            files[name] = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
    }

    func validate(_ value: Any, against file: String) throws -> [String] {
        var problems: [String] = []
        check(value, try #require(files[file]), file: file, path: "$", problems: &problems)
        return problems
    }

    private func resolve(_ reference: String, from file: String) -> (schema: [String: Any], file: String)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let target = parts[0].isEmpty ? file : parts[0]
        var node: Any? = files[target]
        for key in (parts.count > 1 ? parts[1] : "").split(separator: "/") {
            node = (node as? [String: Any])?[String(key)]
        }
        return (node as? [String: Any]).map { ($0, target) }
    }

    private func check(_ value: Any, _ schema: [String: Any], file: String, path: String, problems: inout [String]) {
        if let reference = schema["$ref"] as? String {
            guard let (target, targetFile) = resolve(reference, from: file) else {
                problems.append("\(path): unresolved \(reference)")
                return
            }
            check(value, target, file: targetFile, path: path, problems: &problems)
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            guard allowed.contains(where: { Self.matches(value, $0) }) else {
                problems.append("\(path): \(value) is not \(allowed.joined(separator: " or "))")
                return
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            problems.append("\(path): \"\(text)\" does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? Int, let number = value as? NSNumber, number.int64Value < minimum {
            problems.append("\(path): \(number) is below \(minimum)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[key] as? [String: Any] {
                    check(item, property, file: file, path: "\(path).\(key)", problems: &problems)
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): \(key) is not in the schema")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                check(item, items, file: file, path: "\(path)[\(index)]", problems: &problems)
            }
        }
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "integer":
            // JSONSerialization gives NSNumber; an integer prints without a decimal point or exponent.
            guard let number = value as? NSNumber else { return false }
            return !"\(number)".contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        default: return false  // the report schemas use no other type
        }
    }
}
