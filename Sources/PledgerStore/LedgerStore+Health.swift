import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

extension LedgerStore {
    /// Whether `path` holds a ledger at all: an existing, non-empty regular file. Commands that only
    /// read ask this first, so a mistyped `--db` is refused instead of creating an empty ledger that
    /// then "verifies".
    public static func ledgerExists(at path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        else { return false }
        return size.int64Value > 0
    }

    /// SQLite's `quick_check` (page structure, no index-to-table cross-check): what `serve` runs at
    /// start. Each problem in words; empty when the file is sound.
    public func quickCheck() -> [String] {
        do {
            let rows = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            return rows == ["ok"] ? [] : rows.prefix(5).map { "SQLite's quick check found: \($0)" }
        } catch {
            return [Self.damage(error) ?? "SQLite's quick check could not run: \(Self.describe(error))"]
        }
    }

    /// A damaged file named in words, or nil when `error` is not about damage. SQLite reports a
    /// damaged file as SQLITE_CORRUPT ("database disk image is malformed") or SQLITE_NOTADB.
    public static func damage(_ error: any Error) -> String? {
        let code: ResultCode
        switch error {
        case let error as DatabaseError: code = error.resultCode
        case StoreError.damaged(_, let reason): return reason
        default: return nil
        }
        switch code {
        case .SQLITE_CORRUPT:
            return "the ledger file is damaged (SQLite finds its pages malformed); restore it from a backup"
        case .SQLITE_NOTADB:
            return "the file is not a SQLite ledger, or its header is damaged; restore it from a backup"
        default:
            return nil
        }
    }
}

extension LedgerStore {
    /// `StoreError.damaged` for a damaged file, else `StoreError.database` with SQLite's message (never the SQL).
    static func storeError(_ error: DatabaseError, path: String) -> StoreError {
        if let reason = damage(error) { return .damaged(path: path, reason: reason) }
        return .database(describe(error))
    }
}
