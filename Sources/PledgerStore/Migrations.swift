import Foundation
import GRDB

/// One schema change: a file of `migrations/` carried inside the binary.
public struct Migration: Sendable, Equatable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    public var checksum: String { sha256Hex(sql) }

    /// The migrations this build carries, in file-name order.
    public static let embedded: [Migration] = embeddedMigrations.map { Migration(name: $0.name, sql: $0.text) }
}
