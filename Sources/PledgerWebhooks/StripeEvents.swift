import Foundation
import PledgerCore

/// Decodes Stripe events (the shapes of Stripe's API reference) into ``WebhookAction``s.
///
/// Linking: the site puts Pledger's pledge id into the checkout's `metadata.pledge_id`; the
/// processor references learned then (subscription, payment intent, charge, session) name the
/// pledge afterwards. A payment's external id is its PaymentIntent id where present, else its
/// charge id, else its invoice id, so `checkout.session.completed`, `payment_intent.succeeded`
/// and `invoice.paid` about the same money book it once.
public enum StripeEvents {
    /// The event types Pledger acts on; any other is stored as ignored.
    public static let handledTypes: Set<String> = [
        "checkout.session.completed", "payment_intent.succeeded", "invoice.paid", "invoice.payment_succeeded",
        "invoice.payment_failed", "charge.refunded", "charge.dispute.created",
        "customer.subscription.updated", "customer.subscription.deleted",
    ]

    /// Decodes a verified event body. Malformed or incomplete bodies are `invalid_payload` errors naming the field.
    public static func decode(_ body: [UInt8]) throws(PledgerError) -> WebhookEvent {
        let root = try JSONValue.parse(body)
        let id = try root["id"].requireString()
        let type = try root["type"].requireString()
        guard let created = root["created"].unixTime else { throw root["created"].missing("unix seconds") }
        let object = root["data"]["object"]
        guard handledTypes.contains(type) else {
            return WebhookEvent(
                id: id, type: type, occurredAt: created, action: .ignore(reason: "Pledger does not use \(type) events")
            )
        }
        guard object.exists else { throw object.missing("the event's object") }
        let action: WebhookAction
        var occurredAt = created
        switch type {
        case "checkout.session.completed":
            action = try checkoutCompleted(object)
        case "payment_intent.succeeded":
            action = try paymentIntentSucceeded(object)
        case "invoice.paid", "invoice.payment_succeeded":
            occurredAt = object["status_transitions"]["paid_at"].unixTime ?? created
            action = try invoicePaid(object)
        case "invoice.payment_failed":
            action = .paymentFailed(try invoicePledge(object))
        case "charge.refunded":
            let chargeID = try object["id"].requireString()
            action = .refundedTotal(
                paymentRefs: [object["payment_intent"].idString, chargeID].compactMap { $0 },
                chargeID: chargeID, total: try object["amount_refunded"].requireMoney(currency: object["currency"]))
        case "charge.dispute.created":
            let amount = try object["amount"].requireMoney(currency: object["currency"])
            let fees = object["balance_transactions"].array.compactMap { $0["fee"].integer }
            action = .chargeback(
                paymentRefs: [object["payment_intent"].idString, object["charge"].idString].compactMap { $0 },
                disputeID: try object["id"].requireString(), amount: amount,
                fee: fees.isEmpty ? nil : Money(minorUnits: fees.reduce(0, +), currency: amount.currency))
        case "customer.subscription.deleted":
            occurredAt = object["ended_at"].unixTime ?? object["canceled_at"].unixTime ?? created
            action = .cancel(try subscriptionPledge(object))
        case "customer.subscription.updated":
            action = try subscriptionUpdated(object, previous: root["data"]["previous_attributes"])
        default:
            action = .ignore(reason: "Pledger does not use \(type) events")
        }
        return WebhookEvent(id: id, type: type, occurredAt: occurredAt, action: action)
    }

    private static func checkoutCompleted(_ session: JSONValue) throws(PledgerError) -> WebhookAction {
        let sessionID = try session["id"].requireString()
        let pledgeID = session["metadata"]["pledge_id"].string ?? session["client_reference_id"].string
        let reference = PledgeReference(
            pledgeID: pledgeID.map { ID($0) }, processorRefs: [sessionID],
            payerEmail: session["customer_details"]["email"].string ?? session["customer_email"].string)
        let intent = session["payment_intent"].idString
        let subscription = session["subscription"].idString
        if session["mode"].string == "subscription" {
            // The subscription's invoice books the money; the checkout only links it.
            return .link(reference, refs: [subscription, session["customer"].idString].compactMap { $0 })
        }
        guard session["payment_status"].string == "paid" else {
            return .link(reference, refs: [intent].compactMap { $0 })
        }
        let externalID = intent ?? session["invoice"].idString ?? sessionID
        return .payment(
            reference, externalID: externalID,
            amount: try session["amount_total"].requireMoney(currency: session["currency"]),
            fee: nil, linkRefs: [sessionID, intent].compactMap { $0 })
    }

    private static func paymentIntentSucceeded(_ intent: JSONValue) throws(PledgerError) -> WebhookAction {
        let intentID = try intent["id"].requireString()
        let amountField = intent["amount_received"].exists ? intent["amount_received"] : intent["amount"]
        let charge = intent["latest_charge"].idString
        return .payment(
            PledgeReference(pledgeID: intent["metadata"]["pledge_id"].string.map { ID($0) }, processorRefs: [intentID]),
            externalID: intentID, amount: try amountField.requireMoney(currency: intent["currency"]),
            fee: nil, linkRefs: [charge].compactMap { $0 })
    }

    private static func invoicePaid(_ invoice: JSONValue) throws(PledgerError) -> WebhookAction {
        let invoiceID = try invoice["id"].requireString()
        let amount = try invoice["amount_paid"].requireMoney(currency: invoice["currency"])
        guard amount.minorUnits > 0 else {
            return .ignore(reason: "invoice \(invoiceID) paid nothing (a trial or a credit)")
        }
        // Newer API versions list payments instead of naming the payment intent on the invoice.
        let payment = invoice["payments"]["data"][0]["payment"]
        let intent = invoice["payment_intent"].idString ?? payment["payment_intent"].idString
        let charge = invoice["charge"].idString ?? payment["charge"].idString
        return .payment(
            try invoicePledge(invoice), externalID: intent ?? charge ?? invoiceID, amount: amount, fee: nil,
            linkRefs: [charge, invoiceID].compactMap { $0 })
    }

    /// The pledge an invoice is for: its subscription in either shape, or metadata.
    private static func invoicePledge(_ invoice: JSONValue) throws(PledgerError) -> PledgeReference {
        let details = invoice["parent"]["subscription_details"]
        let subscription = invoice["subscription"].idString ?? details["subscription"].idString
        let pledgeID =
            details["metadata"]["pledge_id"].string ?? invoice["metadata"]["pledge_id"].string
            ?? invoice["subscription_details"]["metadata"]["pledge_id"].string
        let reference = PledgeReference(
            pledgeID: pledgeID.map { ID($0) }, processorRefs: [subscription].compactMap { $0 })
        guard !reference.isEmpty else { throw invoice["subscription"].missing("a subscription id") }
        return reference
    }

    private static func subscriptionPledge(_ subscription: JSONValue) throws(PledgerError) -> PledgeReference {
        PledgeReference(
            pledgeID: subscription["metadata"]["pledge_id"].string.map { ID($0) },
            processorRefs: [try subscription["id"].requireString()])
    }

    private static func subscriptionUpdated(_ subscription: JSONValue, previous: JSONValue) throws(PledgerError)
        -> WebhookAction
    {
        let reference = try subscriptionPledge(subscription)
        let items = subscription["items"]["data"].array
        guard !items.isEmpty else { return .ignore(reason: "the subscription lists no items") }
        var total: Money?
        var intervals: [String] = []
        for item in items {
            let price = item["price"].exists ? item["price"] : item["plan"]
            // A price's `recurring.interval`; a legacy plan has `interval` itself.
            let recurring = price["recurring"].exists ? price["recurring"] : price
            if let interval = recurring["interval"].string {
                intervals.append("\(recurring["interval_count"].integer ?? 1) \(interval)")
            }
            let unitField = price["unit_amount"].exists ? price["unit_amount"] : price["amount"]
            let unit = try unitField.requireMoney(currency: price["currency"])
            let quantity = item["quantity"].integer ?? 1
            let line = try unit.multiplied(by: quantity)
            total = try total.map { sum throws(PledgerError) in try sum.adding(line) } ?? line
        }
        guard let total else { return .ignore(reason: "the subscription lists no items") }
        return .update(
            reference, amount: total, cadence: cadence(intervals), pause: pauseChange(subscription, previous: previous))
    }

    /// What an update says of the pause, only when the pause is what changed: `pause_collection`
    /// (set while paused; the status stays `active`) or the status to or from `paused` (a trial
    /// that ended without a payment method) among `previous_attributes`. Any other update (a new
    /// period, an edit of metadata) says nothing of it, so a pause made by the desk stands.
    private static func pauseChange(_ subscription: JSONValue, previous: JSONValue) -> WebhookAction.PauseState? {
        let status = subscription["status"].string
        let statusMoved = previous["status"].isPresent && (status == "paused" || previous["status"].string == "paused")
        guard previous["pause_collection"].isPresent || statusMoved else { return nil }
        let pauseCollection = subscription["pause_collection"]
        if pauseCollection["behavior"].string != nil || status == "paused" {
            return .paused(resumesAt: pauseCollection["resumes_at"].unixTime)
        }
        // Collecting again, unless the subscription has ended or stopped (its own events say so).
        return ["active", "trialing", "past_due"].contains(status ?? "") ? .running : nil
    }

    /// The cadence of a subscription's items' intervals (`"1 month"`): every month is monthly,
    /// every year annual; any other interval, or items that disagree, is one Pledger has no
    /// cadence for; no interval at all says nothing.
    private static func cadence(_ intervals: [String]) -> WebhookAction.CadenceState? {
        guard let first = intervals.first else { return nil }
        guard intervals.allSatisfy({ $0 == first }) else {
            return .unknown("the items bill at different intervals (\(intervals.joined(separator: ", ")))")
        }
        switch first {
        case "1 month": return .known(.monthly)
        case "1 year": return .known(.annual)
        default: return .unknown("Pledger has no cadence for billing every \(first)")
        }
    }
}
