import Foundation
import PledgerCore

/// The order a Stripe import applies its rows in, and the rule that names the subscription an
/// invoice's charge paid (the payments export does not name it).
public struct StripeImportPlan: Sendable {
    /// One unit of work, applied (or refused) whole.
    public enum Step: Sendable {
        case customer(StripeCustomer)
        case subscription(StripeSubscription)
        case payment(StripePayment)
        /// The state Stripe reports for a subscription, applied once its payments are booked.
        case finalState(StripeSubscription)

        public var source: SourceRow {
            switch self {
            case .customer(let row): row.source
            case .subscription(let row), .finalState(let row): row.source
            case .payment(let row): row.source
            }
        }

        /// The kind of record the step creates, as the summary counts them.
        public var kind: String {
            switch self {
            case .customer: "supporters"
            case .subscription: "pledges"
            case .payment: "payments"
            case .finalState: "pledge_states"
            }
        }

        /// The export's column a refusal of this step points at, from the field a rule named.
        public func column(for error: PledgerError) -> String? {
            switch (self, error.field) {
            case (.payment, "amount"), (.payment, "fee"), (.payment, "currency"):
                ["amount": "Amount", "fee": "Fee", "currency": "Currency"][error.field!]
            case (.payment, "invoice_id"): StripeExport.PaymentColumn.invoiceID
            case (.payment, "customer_id"): StripeExport.PaymentColumn.customerID
            case (.subscription, "amount"): StripeExport.SubscriptionColumn.amount
            case (.subscription, "customer_id"): StripeExport.SubscriptionColumn.customerID
            case (.finalState, _): StripeExport.SubscriptionColumn.status
            default: error.field
            }
        }
    }

    private let byCustomer: [String: [StripeSubscription]]

    public init(subscriptions: [StripeSubscription]) {
        byCustomer = Dictionary(grouping: subscriptions.filter { $0.customerID != nil }, by: { $0.customerID! })
    }

    /// How far a charge may fall outside its subscription's life and still be its invoice's: the first
    /// invoice is charged moments after the subscription is created, a last one just after it ends.
    static let slack: TimeInterval = 86_400

    /// The subscription an invoice's charge paid: its customer's, in its currency, live when it was
    /// charged; among several, the one whose amount it is, then the most recently created.
    public func subscription(paying payment: StripePayment) -> StripeSubscription? {
        guard let customer = payment.customerID, let candidates = byCustomer[customer] else { return nil }
        let live = candidates.filter {
            $0.amount.currency == payment.amount.currency
                && $0.createdAt.addingTimeInterval(-Self.slack) <= payment.createdAt
                && ($0.endedAt.map { payment.createdAt <= $0.addingTimeInterval(Self.slack) } ?? true)
        }
        let exact = live.filter { $0.amount == payment.amount }
        return (exact.isEmpty ? live : exact).max { $0.createdAt < $1.createdAt }
    }
}
