import GRDB
import PledgerCore

// Ids are stored as their text, so a typed id reads from and binds to a column directly.
extension ID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ID? {
        String.fromDatabaseValue(dbValue).map { ID($0) }
    }
}
