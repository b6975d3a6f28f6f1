import Foundation

/// Where Continue sends the reader: the processor's checkout address with placeholders, such as a
/// Stripe Payment Link `https://buy.stripe.com/…?client_reference_id={pledge_id}`.
public struct CheckoutURLTemplate: Sendable, Equatable {
    public static let placeholders = ["pledge_id", "amount", "currency", "cadence", "email"]

    public let template: String

    /// Checks the template: an absolute http(s) address naming `{pledge_id}` (the webhook finds the
    /// pledge by it) and no placeholder but ``placeholders``.
    public init(_ template: String, field: String = "checkout_url") throws(PledgerError) {
        let trimmed = template.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("{pledge_id}") else {
            throw .invalid(field, "must contain {pledge_id}, which the processor's webhook brings back")
        }
        var rest = Substring(trimmed)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { throw .invalid(field, "has an unclosed {") }
            let name = String(rest[rest.index(after: open)..<close])
            guard Self.placeholders.contains(name) else {
                throw .invalid(
                    field,
                    "{\(name)} is not a placeholder; use \(Self.placeholders.map { "{\($0)}" }.joined(separator: ", "))"
                )
            }
            rest = rest[rest.index(after: close)...]
        }
        let sample = Self.fill(trimmed, values: Dictionary(uniqueKeysWithValues: Self.placeholders.map { ($0, "x") }))
        guard let url = URLComponents(string: sample), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host?.isEmpty == false
        else { throw .invalid(field, "must be an absolute http(s) address") }
        self.template = trimmed
    }

    /// The address for one pledge; every value is percent-encoded, an absent e-mail is empty.
    public func url(pledgeID: ID<Pledge>, amount: Money, cadence: Cadence, email: String?) -> String {
        Self.fill(
            template,
            values: [
                "pledge_id": pledgeID.rawValue, "amount": String(amount.minorUnits), "currency": amount.currency.code,
                "cadence": cadence.rawValue, "email": email ?? "",
            ])
    }

    private static func fill(_ template: String, values: [String: String]) -> String {
        // Unreserved characters only, so a value can sit in a path or a query alike.
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        var text = template
        for (name, value) in values {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            text = text.replacingOccurrences(of: "{\(name)}", with: encoded)
        }
        return text
    }
}
