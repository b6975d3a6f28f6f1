import Foundation

/// What one supporter gave in one fiscal year, per currency, with refunds and chargebacks netted:
/// the yearly statement supporters ask for at tax time.
///
/// The rule, here once: every payment, refund and chargeback counts in the fiscal year (UTC) in
/// which it was booked, exactly as the ledger (and its hledger export) dates it. A refund in
/// January of a December gift lowers January's year, never rewrites the year already stated.
/// Net = gross given − refunded − charged back, per currency; currencies are never added together.
/// Fees are the publisher's cost and do not reduce what the supporter gave.
public struct GivingStatement: Sendable, Equatable, Codable {
    /// Money moved for the supporter, as the ledger booked it.
    public struct Entry: Sendable, Equatable {
        /// A payment, or money given back.
        public enum Kind: String, Sendable, Codable {
            case payment, refund, chargeback
        }

        public var kind: Kind
        /// The payment itself, or the payment a refund or chargeback gave back.
        public var paymentID: ID<Payment>
        /// That payment's receipt number, when it has one.
        public var receipt: ReceiptNumber?
        public var cadence: Cadence
        /// Positive: what was paid, or what was given back.
        public var amount: Money
        public var occurredAt: Date

        public init(
            kind: Kind, paymentID: ID<Payment>, receipt: ReceiptNumber?, cadence: Cadence, amount: Money,
            occurredAt: Date
        ) {
            self.kind = kind
            self.paymentID = paymentID
            self.receipt = receipt
            self.cadence = cadence
            self.amount = amount
            self.occurredAt = occurredAt
        }
    }

    /// One line of the statement: a payment (positive) or money given back (negative).
    public struct Line: Sendable, Equatable, Codable {
        /// The booking day, `YYYY-MM-DD` in UTC.
        public var date: String
        public var kind: Entry.Kind
        public var paymentID: String
        /// The receipt number of the payment (for a refund or chargeback, of the payment it reverses).
        public var receipt: String?
        public var cadence: Cadence
        public var currency: String
        /// Integer minor units; negative for a refund or a chargeback.
        public var amount: Int64
    }

    /// A currency's totals, in integer minor units.
    public struct Totals: Sendable, Equatable, Codable {
        public var currency: String
        public var payments: Int64 = 0
        public var gross: Int64 = 0
        public var refunded: Int64 = 0
        public var chargedBack: Int64 = 0
        public var net: Int64 = 0

        public init(
            currency: String, payments: Int64 = 0, gross: Int64 = 0, refunded: Int64 = 0, chargedBack: Int64 = 0,
            net: Int64 = 0
        ) {
            self.currency = currency
            self.payments = payments
            self.gross = gross
            self.refunded = refunded
            self.chargedBack = chargedBack
            self.net = net
        }
    }

    public var supporterID: String
    /// Nil once the supporter was erased: the money stays, the person does not.
    public var email: String?
    /// The fiscal year's name: `2026`, or `2026/27` when it starts after January.
    public var fiscalYear: String
    public var year: Int
    public var fiscalYearStart: Int
    /// First and last day, `YYYY-MM-DD`, both included.
    public var from: String
    public var to: String
    public var timeZone: String
    public var generatedAt: String
    public var basis: String
    /// Oldest first.
    public var lines: [Line]
    /// By currency code.
    public var currencies: [Totals]

    public static let basisText =
        "every payment, refund and chargeback counts in the fiscal year (UTC) in which it was booked; "
        + "net = gross given - refunded - charged back, per currency; processor fees do not reduce what was given"

    /// The statement of `supporterID` for `year` from the entries the ledger holds for them; entries
    /// booked outside the year are left out.
    /// - Throws: `PledgerError` when a total passes the largest amount Pledger can hold.
    public static func build(
        supporterID: ID<Supporter>, email: String?, year: FiscalYear, entries: [Entry], generatedAt: Date
    ) throws(PledgerError) -> GivingStatement {
        let kept = entries.filter { year.contains($0.occurredAt) }.sorted {
            ($0.occurredAt, $0.kind == .payment ? 0 : 1) < ($1.occurredAt, $1.kind == .payment ? 0 : 1)
        }
        var totals: [String: Totals] = [:]
        var lines: [Line] = []
        for entry in kept {
            let code = entry.amount.currency.code
            var total = totals[code] ?? Totals(currency: code)
            let amount = entry.amount.minorUnits
            switch entry.kind {
            case .payment:
                total.payments += 1
                total.gross = try add(total.gross, amount, code)
                total.net = try add(total.net, amount, code)
            case .refund:
                total.refunded = try add(total.refunded, amount, code)
                total.net = try add(total.net, -amount, code)
            case .chargeback:
                total.chargedBack = try add(total.chargedBack, amount, code)
                total.net = try add(total.net, -amount, code)
            }
            totals[code] = total
            lines.append(
                Line(
                    date: String(Timestamp.format(entry.occurredAt).prefix(10)), kind: entry.kind,
                    paymentID: entry.paymentID.rawValue, receipt: entry.receipt?.description, cadence: entry.cadence,
                    currency: code, amount: entry.kind == .payment ? amount : -amount))
        }
        return GivingStatement(
            supporterID: supporterID.rawValue, email: email, fiscalYear: year.description, year: year.year,
            fiscalYearStart: year.startMonth, from: year.firstDay, to: year.lastDay, timeZone: "UTC",
            generatedAt: Timestamp.format(generatedAt), basis: basisText, lines: lines,
            currencies: totals.keys.sorted().map { totals[$0]! })
    }

    static func add(_ a: Int64, _ b: Int64, _ code: String) throws(PledgerError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else {
            throw PledgerError(
                .refused, code: "amount_overflow",
                message: "a total in \(code) exceeds the largest amount Pledger can hold")
        }
        return sum
    }
}
