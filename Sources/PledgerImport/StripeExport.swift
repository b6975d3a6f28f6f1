import Foundation
import PledgerCore

/// A customer from Stripe's dashboard export (Customers → Export).
public struct StripeCustomer: Sendable, Equatable {
    public let source: SourceRow
    /// `cus_…`: the supporter's key at Stripe.
    public let id: String
    public let email: EmailAddress?
    public let createdAt: Date
}

/// A subscription from Stripe's dashboard export (Subscriptions → Export).
public struct StripeSubscription: Sendable, Equatable {
    public let source: SourceRow
    /// `sub_…`: the pledge's key at Stripe, as the webhooks name it.
    public let id: String
    public let customerID: String?
    public let email: EmailAddress?
    public let cadence: Cadence
    /// The price times the quantity.
    public let amount: Money
    /// The state the pledge ends in, from Stripe's status.
    public let status: PledgeStatus
    public let createdAt: Date
    /// When it stopped: `Ended At (UTC)`, else `Canceled At (UTC)`; nil while it runs.
    public let endedAt: Date?
    /// When the current period began: the instant a past-due pledge is marked so.
    public let currentPeriodStart: Date?
}

/// A charge from Stripe's dashboard export (Payments → Export), with what was refunded and disputed of it.
public struct StripePayment: Sendable, Equatable {
    public let source: SourceRow
    /// `ch_…` (or `py_…`): the `id` column.
    public let chargeID: String
    public let paymentIntentID: String?
    public let invoiceID: String?
    public let customerID: String?
    public let email: EmailAddress?
    public let createdAt: Date
    public let amount: Money
    public let fee: Money?
    /// `Amount Refunded`: the cumulative total, as `charge.refunded` carries it.
    public let refunded: Money
    public let disputed: Money
    public let disputedAt: Date?
    /// Whether the charge took money (`Paid`, `Refunded`, `Partially Refunded`, `Disputed`); failed
    /// and uncaptured charges took none.
    public let succeeded: Bool
    public let status: String

    /// The key the webhooks book this payment under: the PaymentIntent id where there is one, else
    /// the charge id (``StripeEvents`` keys `payment_intent.succeeded` and `invoice.paid` the same way).
    public var externalID: String { paymentIntentID ?? chargeID }
    /// The key `charge.refunded` books a cumulative refund total under.
    public var refundKey: String { StripeKeys.refund(charge: chargeID, total: refunded) }
    /// The key a dispute of this charge is booked under by the import (the export has no dispute id).
    public var disputeKey: String { StripeKeys.dispute(charge: chargeID) }
}

/// Reads the three CSV files Stripe's dashboard exports, by the column names Stripe writes.
/// Each row becomes a value of Core's types or an ``ImportRefusal`` naming its line and column.
public enum StripeExport {
    /// The columns read from the customers export.
    public enum CustomerColumn {
        public static let id = "id"
        public static let email = "Email"
        public static let created = "Created (UTC)"
        public static let required = [id]
    }

    /// The columns read from the subscriptions export.
    public enum SubscriptionColumn {
        public static let id = "id"
        public static let customerID = "Customer ID"
        public static let customerEmail = "Customer Email"
        public static let interval = "Interval"
        public static let intervalCount = "Interval Count"
        public static let amount = "Amount"
        public static let quantity = "Quantity"
        public static let currency = "Currency"
        public static let status = "Status"
        public static let created = "Created (UTC)"
        public static let start = "Start (UTC)"
        public static let startDate = "Start Date (UTC)"
        public static let currentPeriodStart = "Current Period Start (UTC)"
        public static let canceledAt = "Canceled At (UTC)"
        public static let endedAt = "Ended At (UTC)"
        public static let required = [id, interval, amount, currency, status]
    }

    /// The columns read from the payments export.
    public enum PaymentColumn {
        public static let id = "id"
        public static let created = "Created (UTC)"
        public static let amount = "Amount"
        public static let amountRefunded = "Amount Refunded"
        public static let currency = "Currency"
        public static let fee = "Fee"
        public static let convertedCurrency = "Converted Currency"
        public static let status = "Status"
        public static let captured = "Captured"
        public static let customerID = "Customer ID"
        public static let customerEmail = "Customer Email"
        public static let disputedAmount = "Disputed Amount"
        public static let disputeDate = "Dispute Date (UTC)"
        public static let invoiceID = "Invoice ID"
        public static let paymentIntentID = "PaymentIntent ID"
        public static let required = [id, created, amount, currency, status]
    }

    /// Stripe's subscription statuses and the pledge state each ends in.
    public static func pledgeStatus(_ text: String) throws(PledgerError) -> PledgeStatus {
        switch text.lowercased().replacingOccurrences(of: " ", with: "_") {
        case "active": return .active
        case "past_due", "unpaid": return .pastDue
        case "canceled", "cancelled", "incomplete_expired": return .cancelled
        case "trialing", "incomplete": return .pending
        default:
            throw .invalid(
                "status",
                "\"\(text)\" is not a Stripe subscription status Pledger imports; expected active, past_due, unpaid, canceled, incomplete_expired, trialing or incomplete"
            )
        }
    }

    /// A Stripe price interval as a cadence: monthly and yearly prices, every one period.
    public static func cadence(interval: String, count: String?) throws(PledgerError) -> Cadence {
        let every = count.flatMap { Int($0) } ?? 1
        if let count, Int(count) == nil {
            throw .invalid("interval_count", "\"\(count)\" is not a whole number")
        }
        switch (interval.lowercased(), every) {
        case ("month", 1), ("monthly", 1): return .monthly
        case ("year", 1), ("yearly", 1), ("annual", 1): return .annual
        default:
            let name = every == 1 ? interval : "every \(every) \(interval)s"
            throw .invalid(
                "interval", "\"\(name)\" is not a cadence Pledger keeps; only monthly and yearly prices are imported")
        }
    }

    /// Stripe writes currency codes in lower case (`usd`).
    public static func currency(_ text: String) throws(PledgerError) -> Currency {
        try Currency.parse(text.uppercased())
    }

    /// The customers export's rows; refuses the file (line 1) when `id` is missing.
    public static func customers(_ table: CSVTable) throws(ImportRefusal) -> (
        rows: [StripeCustomer], refused: [ImportRefusal]
    ) {
        typealias C = CustomerColumn
        return try parseRows(table, required: C.required, firstColumn: C.id) {
            (record, column: inout String?) throws(PledgerError) in
            let id = try stripeID(record, C.id)
            column = C.email
            let email = try email(record, C.email)
            column = C.created
            let created = try time(record, C.created, field: "created")
            return
                StripeCustomer(source: record.source, id: id, email: email, createdAt: created ?? .distantPast)
        }
    }

    /// The subscriptions export's rows; refuses the file (line 1) when a required column is missing.
    public static func subscriptions(_ table: CSVTable) throws(ImportRefusal) -> (
        rows: [StripeSubscription], refused: [ImportRefusal]
    ) {
        typealias C = SubscriptionColumn
        return try parseRows(table, required: C.required, firstColumn: C.id) {
            (record, column: inout String?) throws(PledgerError) in
            let id = try stripeID(record, C.id)
            column = C.customerID
            let customer = try identifier(record, C.customerID, field: "customer_id")
            column = C.customerEmail
            let email = try email(record, C.customerEmail)
            column = C.interval
            let cadence = try cadence(interval: required(record, C.interval), count: record.value(C.intervalCount))
            column = C.currency
            let currency = try currency(required(record, C.currency))
            column = C.amount
            let price = try Money.parse(required(record, C.amount), currency: currency)
            column = C.quantity
            let quantity = try record.value(C.quantity).map { text throws(PledgerError) -> Int64 in
                guard let value = Int64(text), value > 0 else {
                    throw .invalid("quantity", "\"\(text)\" is not a whole number above zero")
                }
                return value
            }
            let amount = try price.multiplied(by: quantity ?? 1)
            column = C.status
            let status = try pledgeStatus(required(record, C.status))
            column = C.created
            let start = record.value(C.created) ?? record.value(C.start) ?? record.value(C.startDate)
            guard let start else {
                throw .invalid("created", "the row has no \(C.created), \(C.start) or \(C.startDate)")
            }
            let created = try ExportTime.parse(start, field: "created")
            column = C.endedAt
            let ended = try time(record, C.endedAt, field: "ended_at")
            column = C.canceledAt
            let canceled = try time(record, C.canceledAt, field: "canceled_at")
            column = C.currentPeriodStart
            let periodStart = try time(record, C.currentPeriodStart, field: "current_period_start")
            column = C.status
            let endedAt = ended ?? canceled
            if status == .cancelled && endedAt == nil {
                throw .invalid(
                    "status", "the subscription is canceled but neither \(C.endedAt) nor \(C.canceledAt) says when")
            }
            if customer == nil && email == nil {
                column = C.customerID
                throw .invalid("customer_id", "the row names neither a customer id nor an e-mail")
            }
            return
                StripeSubscription(
                    source: record.source, id: id, customerID: customer, email: email, cadence: cadence,
                    amount: amount, status: status, createdAt: created,
                    endedAt: status == .cancelled ? endedAt : nil, currentPeriodStart: periodStart)
        }
    }

    /// The payments export's rows, failed charges included (marked, not booked later); refuses the
    /// file (line 1) when a required column is missing.
    public static func payments(_ table: CSVTable) throws(ImportRefusal) -> (
        rows: [StripePayment], refused: [ImportRefusal]
    ) {
        typealias C = PaymentColumn
        return try parseRows(table, required: C.required, firstColumn: C.id) {
            (record, column: inout String?) throws(PledgerError) in
            let id = try stripeID(record, C.id)
            column = C.status
            let status = try required(record, C.status)
            let captured = record.value(C.captured)?.lowercased() != "false"
            let succeeded =
                captured
                && ["paid", "succeeded", "refunded", "partially refunded", "partially_refunded", "disputed"]
                    .contains(status.lowercased())
            column = C.currency
            let currency = try currency(required(record, C.currency))
            column = C.amount
            let amount = try Money.parse(required(record, C.amount), currency: currency)
            column = C.fee
            var fee = try money(record, C.fee, currency, field: "fee")
            if let converted = record.value(C.convertedCurrency), fee?.isZero == false,
                converted.uppercased() != currency.code
            {
                throw .invalid(
                    "fee",
                    "the fee is in the settlement currency \(converted.uppercased()), the payment in \(currency.code); Pledger books a fee in the payment's currency"
                )
            }
            if fee?.isZero == true { fee = nil }
            column = C.amountRefunded
            let refunded =
                try money(record, C.amountRefunded, currency, field: "amount_refunded") ?? .zero(currency)
            column = C.disputedAmount
            let disputed =
                try money(record, C.disputedAmount, currency, field: "disputed_amount") ?? .zero(currency)
            column = C.created
            let created = try ExportTime.parse(required(record, C.created), field: "created")
            column = C.disputeDate
            let disputedAt = try time(record, C.disputeDate, field: "dispute_date")
            if !disputed.isZero && disputedAt == nil {
                column = C.disputedAmount
                throw .invalid("disputed_amount", "the charge is disputed but \(C.disputeDate) is empty")
            }
            column = C.amountRefunded
            if succeeded, refunded.minorUnits + disputed.minorUnits > amount.minorUnits {
                throw .invalid(
                    "amount_refunded",
                    "\(refunded) refunded and \(disputed) disputed are more than the \(amount) paid")
            }
            column = C.paymentIntentID
            let intent = try identifier(record, C.paymentIntentID, field: "payment_intent_id")
            column = C.invoiceID
            let invoice = try identifier(record, C.invoiceID, field: "invoice_id")
            column = C.customerID
            let customer = try identifier(record, C.customerID, field: "customer_id")
            column = C.customerEmail
            let email = try email(record, C.customerEmail)
            return
                StripePayment(
                    source: record.source, chargeID: id, paymentIntentID: intent, invoiceID: invoice,
                    customerID: customer, email: email, createdAt: created, amount: amount, fee: fee,
                    refunded: refunded, disputed: disputed, disputedAt: disputedAt, succeeded: succeeded,
                    status: status)
        }
    }

    /// Each record parsed by `parse`, or refused naming the column it was reading when it failed;
    /// refuses the file (line 1) when a required column is missing.
    private static func parseRows<Row>(
        _ table: CSVTable, required: [String], firstColumn: String,
        _ parse: (CSVTable.Record, inout String?) throws(PledgerError) -> Row
    ) throws(ImportRefusal) -> (rows: [Row], refused: [ImportRefusal]) {
        try table.require(required)
        var rows: [Row] = []
        var refused: [ImportRefusal] = []
        for record in table.records {
            var column: String? = firstColumn
            do throws(PledgerError) {
                rows.append(try parse(record, &column))
            } catch {
                refused.append(record.source.refusal(error, column: column))
            }
        }
        return (rows, refused)
    }

    private static func time(_ record: CSVTable.Record, _ column: String, field: String) throws(PledgerError) -> Date? {
        try record.value(column).map { text throws(PledgerError) in try ExportTime.parse(text, field: field) }
    }

    private static func identifier(_ record: CSVTable.Record, _ column: String, field: String) throws(PledgerError)
        -> String?
    {
        try record.value(column).map { text throws(PledgerError) in try TextField.identifier(text, field: field) }
    }

    private static func email(_ record: CSVTable.Record, _ column: String) throws(PledgerError) -> EmailAddress? {
        try record.value(column).map { text throws(PledgerError) in try EmailAddress(text) }
    }

    private static func money(_ record: CSVTable.Record, _ column: String, _ currency: Currency, field: String)
        throws(PledgerError) -> Money?
    {
        try record.value(column).map { text throws(PledgerError) in
            try Money.parse(text, currency: currency, field: field)
        }
    }

    private static func required(_ record: CSVTable.Record, _ column: String) throws(PledgerError) -> String {
        guard let text = record.value(column) else { throw .invalid(column, "must not be empty") }
        return text
    }

    private static func stripeID(_ record: CSVTable.Record, _ column: String) throws(PledgerError) -> String {
        try TextField.identifier(required(record, column), field: column)
    }
}
