import COpenSSL
import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

/// Failures of the storage layer itself (not of a business rule).
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case migrationChanged(name: String, recorded: String, current: String)
    case unknownMigration(name: String)
    case migrationFailed(name: String, reason: String)
    case database(String)
    /// The file is damaged (SQLite reports it corrupt or not a database); the reason is in words.
    case damaged(path: String, reason: String)
    /// A stored value this build cannot read (a damaged ledger, or one written by a newer Pledger).
    case undecodable(table: String, column: String, value: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open database \(path): \(reason)"
        case .migrationChanged(let name, let recorded, let current):
            "migration \(name) was changed after it was applied (recorded checksum \(recorded.prefix(12))…, file now \(current.prefix(12))…); restore the original file and add a new migration instead"
        case .unknownMigration(let name):
            "the database has migration \(name), which this build of Pledger does not know; use a newer pledger"
        case .migrationFailed(let name, let reason):
            "migration \(name) failed and was rolled back: \(reason)"
        case .database(let reason):
            "database error: \(reason)"
        case .damaged(let path, let reason):
            "\(path): \(reason)"
        case .undecodable(let table, let column, let value):
            "the ledger's \(table) table holds \(column) \"\(value)\", which this build of Pledger cannot read; run pledger verify"
        }
    }
}
