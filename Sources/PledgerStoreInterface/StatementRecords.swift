import Foundation
import PledgerCore

/// What receipts, giving statements and the lapsed report read: money booked per supporter.
/// A payment belongs to the supporter it was booked for, else to its pledge's supporter; a refund
/// or chargeback to its payment's.
public protocol StatementRecords {
    /// One payment of the supporter's, with its receipt number and what was refunded and charged
    /// back so far; nil when the payment is not theirs (or does not exist).
    func receipt(supporterID: ID<Supporter>, paymentID: ID<Payment>) throws -> (
        payment: Payment, receipt: ReceiptNumber?, refunded: Int64, chargedBack: Int64
    )?
    /// Payments, refunds and chargebacks booked in `[from, to)` for one supporter (all when nil),
    /// ordered by supporter, then oldest first; money booked for no supporter is left out.
    func statementEntries(supporterID: ID<Supporter>?, from: Date, to: Date) throws -> [(
        supporterID: ID<Supporter>, email: String?, entry: GivingStatement.Entry
    )]
    /// When the first payment was booked; nil for a ledger without one.
    func firstPaymentAt() throws -> Date?
    /// Each supporter's net (payments − refunds − chargebacks) per currency in each of `years`.
    func netsByYear(_ years: [(year: Int, start: Date, end: Date)]) throws -> [LapsedReport.YearNet]
}
