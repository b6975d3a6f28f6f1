/// The external ids Stripe money is booked under, shared by the webhooks and the import so that
/// neither books what the other already has.
public enum StripeKeys {
    /// `charge.refunded` names a refund by the charge and the cumulative total refunded.
    public static func refund(charge: String, total: Money) -> String { "\(charge):refunded:\(total.minorUnits)" }
    /// A charge is disputed at most once at Stripe; the dashboard export carries no dispute id, so the
    /// import keys a dispute by its charge, and the webhook checks this key before booking a `dp_…`.
    public static func dispute(charge: String) -> String { "\(charge):dispute" }
}
