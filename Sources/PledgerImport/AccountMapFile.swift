import Foundation
import PledgerCore
import TOMLKit

/// Reads a chart-of-accounts file (`pledger export --accounts accounts.toml`) into Core's ``AccountMap``:
///
/// ```toml
/// [accounts."income:donations:*"]
/// code = "4000"
/// name = "Donations"
/// refund = { code = "4090", name = "Refunds and chargebacks" }
/// ```
public enum AccountMapFile {
    /// - Throws: ``ImportRefusal`` naming the key at fault (TOML syntax errors name their line).
    public static func parse(toml text: String, file: String) throws(ImportRefusal) -> AccountMap {
        func refuse(_ key: String, _ reason: String) -> ImportRefusal {
            ImportRefusal(file: file, line: 1, column: key, reason: reason)
        }
        let root = try ImportRefusal.table(toml: text, file: file)
        for key in root.keys where key != "accounts" {
            throw refuse(key, "is not a section Pledger reads; expected [accounts.\"pledger:account\"] tables")
        }
        guard let accounts = root["accounts"]?.table, !accounts.isEmpty else {
            throw refuse("accounts", "is missing or empty: map each of Pledger's accounts to a code and a name")
        }
        func target(_ value: (any TOMLValueConvertible)?, path: String, extra: Set<String>) throws(ImportRefusal)
            -> (AccountMap.Target, TOMLTable)
        {
            guard let table = value?.table else {
                throw refuse(
                    path, "must be a table with code and name, such as { code = \"4010\", name = \"Donations\" }")
            }
            for key in table.keys where !(["code", "name"] + extra).contains(key) {
                throw refuse(
                    "\(path).\(key)",
                    "is not a key Pledger reads; expected code, name\(extra.isEmpty ? "" : " or a kind (\(extra.sorted().joined(separator: ", ")))")"
                )
            }
            guard let code = table["code"]?.string ?? table["code"]?.int.map(String.init) else {
                throw refuse("\(path).code", "is required")
            }
            guard let name = table["name"]?.string else { throw refuse("\(path).name", "is required") }
            return (AccountMap.Target(code: code, name: name), table)
        }
        var rules: [AccountMap.Rule] = []
        for pattern in accounts.keys.sorted() {
            let path = "accounts.\(pattern)"
            let (main, table) = try target(accounts[pattern], path: path, extra: AccountMap.kinds)
            var byKind: [String: AccountMap.Target] = [:]
            for kind in AccountMap.kinds where table[kind] != nil {
                byKind[kind] = try target(table[kind], path: "\(path).\(kind)", extra: []).0
            }
            rules.append(AccountMap.Rule(pattern: pattern, target: main, byKind: byKind))
        }
        do {
            return try AccountMap(rules: rules)
        } catch {
            throw refuse(error.field ?? "accounts", error.message)
        }
    }

    /// Reads the file at `url`.
    public static func read(_ url: URL) throws(ImportRefusal) -> AccountMap {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ImportRefusal(
                file: url.path, line: 1, column: nil, reason: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(toml: text, file: url.lastPathComponent)
    }
}
