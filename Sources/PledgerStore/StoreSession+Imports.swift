import Foundation
import GRDB
import PledgerCore

extension StoreSession {
    public func supporterID(processor: String, ref: String) throws -> ID<Supporter>? {
        try fetchRow(
            sql: "SELECT supporter_id FROM supporter_refs WHERE processor = ? AND ref = ?", arguments: [processor, ref]
        )
        .map { row in ID<Supporter>(row["supporter_id"] as String) }
    }

    public func linkSupporterRef(processor: String, ref: String, supporterID: ID<Supporter>, at: Date) throws {
        try exec(
            sql:
                "INSERT INTO supporter_refs (processor, ref, supporter_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [processor, ref, supporterID, ms(at)])
    }
}
