import Foundation
import PledgerCore
import TOMLKit

/// How to read any system's donations export: which of its columns hold the e-mail, amount, date…,
/// what its words for cadences and statuses mean, and how it writes dates and decimals.
/// Read from a TOML file (`pledger import csv FILE --mapping mapping.toml`); every key is checked,
/// so a misspelt one is an error naming it rather than a column silently left unread.
public struct ImportMapping: Sendable, Equatable {
    /// What a status of the export means for its row.
    public enum RowStatus: String, Sendable, Equatable {
        /// The money came in: book it.
        case paid
        /// It came in and went back in full: book the payment and its refund.
        case refunded
        /// Nothing came in (pending, failed, cancelled): read, not booked.
        case skip
    }

    /// The name payments are booked under; external ids are unique per processor.
    public var processor: String
    public var delimiter: Character?
    /// A pattern of `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss` and literal characters, read as UTC; nil
    /// reads what ``ExportTime`` reads.
    public var dateFormat: String?
    public var decimalSeparator: Character = "."
    /// The export's header for each field Pledger reads (keys: ``ImportMapping/fields``).
    public var columns: [String: String]
    public var defaultCurrency: Currency?
    public var defaultCadence: Cadence?
    /// The export's words (compared case-insensitively) for each cadence.
    public var cadenceValues: [String: Cadence] = [:]
    /// The export's words (compared case-insensitively) for each row status.
    public var statusValues: [String: RowStatus] = [:]

    /// The fields a mapping may name, and whether each must be named.
    public static let fields: [(name: String, required: Bool)] = [
        ("email", true), ("name", false), ("amount", true), ("fee", false), ("currency", false),
        ("cadence", false), ("date", true), ("status", false), ("external_id", true), ("supporter_id", false),
        ("pledge_id", false),
    ]

    /// Reads a mapping; `file` names it in errors.
    /// - Throws: ``ImportRefusal`` naming the key at fault (TOML syntax errors name their line).
    public init(toml text: String, file: String) throws(ImportRefusal) {
        func refuse(_ key: String, _ reason: String, line: Int = 1) -> ImportRefusal {
            ImportRefusal(file: file, line: line, column: key, reason: reason)
        }
        let root = try ImportRefusal.table(toml: text, file: file)
        func table(_ key: String, in parent: TOMLTable, allowed: Set<String>?, path: String) throws(ImportRefusal)
            -> TOMLTable?
        {
            guard let value = parent[key] else { return nil }
            guard let found = value.table else { throw refuse(path, "must be a table ([\(path)])") }
            if let allowed {
                for name in found.keys where !allowed.contains(name) {
                    let list = allowed.sorted().joined(separator: ", ")
                    throw refuse("\(path).\(name)", "is not a key Pledger reads here; expected one of \(list)")
                }
            }
            return found
        }
        func strings(_ found: TOMLTable?, path: String) throws(ImportRefusal) -> [String: String] {
            var result: [String: String] = [:]
            for key in found?.keys ?? [] {
                guard let text = found?[key]?.string else { throw refuse("\(path).\(key)", "must be a string") }
                result[key] = text
            }
            return result
        }
        for key in root.keys where !["csv", "columns", "defaults", "values"].contains(key) {
            throw refuse(key, "is not a section Pledger reads; expected [csv], [columns], [defaults] or [values.*]")
        }
        let csv = try strings(
            table(
                "csv", in: root, allowed: ["processor", "delimiter", "date_format", "decimal_separator"], path: "csv"),
            path: "csv")
        guard let processor = csv["processor"] else {
            throw refuse("csv.processor", "is required: the name the payments are booked under, such as \"civicrm\"")
        }
        do {
            self.processor = try Bookkeeping.checkProcessor(processor, field: "csv.processor")
        } catch {
            throw refuse("csv.processor", error.message)
        }
        if let text = csv["delimiter"] {
            guard [",", ";", "\t", "|"].contains(text) else {
                throw refuse(
                    "csv.delimiter", "\"\(text)\" is not a delimiter Pledger reads; use \",\", \";\", \"\\t\" or \"|\"")
            }
            delimiter = Character(text)
        }
        dateFormat = csv["date_format"]
        if let format = dateFormat, !["yyyy", "MM", "dd"].allSatisfy({ format.contains($0) }) {
            throw refuse("csv.date_format", "\"\(format)\" must contain yyyy, MM and dd")
        }
        if let text = csv["decimal_separator"] {
            guard text == "." || text == "," else { throw refuse("csv.decimal_separator", "must be \".\" or \",\"") }
            decimalSeparator = Character(text)
        }
        let known = Set(Self.fields.map(\.name))
        columns = try strings(table("columns", in: root, allowed: known, path: "columns"), path: "columns")
        let defaults = try strings(
            table("defaults", in: root, allowed: ["currency", "cadence"], path: "defaults"), path: "defaults")
        do {
            defaultCurrency = try defaults["currency"].map { text throws(PledgerError) in
                try Currency.parse(text, field: "defaults.currency")
            }
            defaultCadence = try defaults["cadence"].map { text throws(PledgerError) in
                try Cadence.parse(text, field: "defaults.cadence")
            }
        } catch {
            throw refuse(error.field ?? "defaults", error.message)
        }
        for (name, required) in Self.fields where required && columns[name] == nil {
            throw refuse(
                "columns.\(name)",
                "is required: the header of the export's \(name.replacingOccurrences(of: "_", with: " ")) column")
        }
        if columns["currency"] == nil && defaultCurrency == nil {
            throw refuse("columns.currency", "name a currency column or give [defaults] currency")
        }
        if columns["cadence"] == nil && defaultCadence == nil {
            throw refuse("columns.cadence", "name a cadence column or give [defaults] cadence")
        }
        let values = try table("values", in: root, allowed: ["cadence", "status"], path: "values")
        for (word, target) in try strings(
            table("cadence", in: values ?? TOMLTable(), allowed: nil, path: "values.cadence"), path: "values.cadence")
        {
            do {
                cadenceValues[word.lowercased()] = try Cadence.parse(target, field: "values.cadence.\(word)")
            } catch {
                throw refuse("values.cadence.\(word)", error.message)
            }
        }
        for (word, target) in try strings(
            table("status", in: values ?? TOMLTable(), allowed: nil, path: "values.status"), path: "values.status")
        {
            guard let status = RowStatus(rawValue: target.lowercased()) else {
                throw refuse("values.status.\(word)", "\"\(target)\" is not paid, refunded or skip")
            }
            statusValues[word.lowercased()] = status
        }
        if columns["status"] != nil && statusValues.isEmpty {
            throw refuse(
                "values.status", "a status column is named: say which of its values are paid, refunded or skip")
        }
    }

    /// Reads the mapping file at `url`.
    public init(contentsOf url: URL) throws(ImportRefusal) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ImportRefusal(
                file: url.path, line: 1, column: nil, reason: "cannot be read: \(error.localizedDescription)")
        }
        try self.init(toml: text, file: url.lastPathComponent)
    }
}

extension ImportRefusal {
    /// A TOML file's root table, or a refusal naming the line TOMLKit stopped at: the one reading
    /// of the mapping and chart-of-accounts files.
    static func table(toml text: String, file: String) throws(ImportRefusal) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ImportRefusal(
                file: file, line: error.source.begin.line, column: nil, reason: "is not TOML: \(error.description)")
        } catch {
            throw ImportRefusal(file: file, line: 1, column: "-", reason: "is not TOML: \(error)")
        }
    }
}
