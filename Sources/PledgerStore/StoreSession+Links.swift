import Foundation
import GRDB
import PledgerCore
import PledgerStoreInterface

// MARK: - Supporters' own links and page

extension StoreSession {
    public func linkNonce(supporterID: ID<Supporter>) throws -> String {
        try fetchOne(
            String.self, sql: "SELECT nonce FROM supporter_link_nonces WHERE supporter_id = ?", arguments: [supporterID]
        )
            ?? "0"
    }

    public func setLinkNonce(supporterID: ID<Supporter>, nonce: String, at: Date) throws {
        try exec(
            sql: """
                INSERT INTO supporter_link_nonces (supporter_id, nonce, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (supporter_id) DO UPDATE SET nonce = excluded.nonce, updated_at = excluded.updated_at
                """,
            arguments: [supporterID, nonce, ms(at)])
    }

    public func supporter(id: ID<Supporter>) throws -> SupporterRecord? {
        try fetchRow(sql: "SELECT id, email, external_ref FROM supporters WHERE id = ?", arguments: [id]).map {
            SupporterRecord(id: $0["id"], email: $0["email"], externalRef: $0["external_ref"])
        }
    }

    public func pledges(supporterID: ID<Supporter>) throws -> [Pledge] {
        try fetchRows(
            sql: Self.pledgeSelect + " WHERE p.supporter_id = ? ORDER BY p.seq DESC", arguments: [supporterID]
        )
        .map(Self.pledge)
    }

    public func payments(supporterID: ID<Supporter>, limit: Int) throws -> [(payment: Payment, receipt: ReceiptNumber?)]
    {
        // Through the supporter's pledges (indexed by pledge); a gift booked without a pledge has no page.
        try fetchRows(
            sql: """
                SELECT py.*, r.year AS receipt_year, r.sequence AS receipt_sequence
                FROM payments py LEFT JOIN receipt_numbers r ON r.payment_id = py.id
                WHERE py.pledge_id IN (SELECT id FROM pledges WHERE supporter_id = ?)
                ORDER BY py.occurred_at DESC, py.id LIMIT ?
                """,
            arguments: [supporterID, limit]
        ).map { row in
            let receipt = (row["receipt_year"] as Int?).map {
                ReceiptNumber(year: $0, sequence: row["receipt_sequence"])
            }
            return (try Self.payment(row), receipt)
        }
    }
}
