import Foundation
import PledgerCore

/// Decodes Pledger's own event schema, sent to the Standard Webhooks endpoint by any other
/// processor or the publisher's gateway: `{"type": "...", "data": {...}}`, amounts in minor
/// units, `occurred_at` in ISO 8601; the event id is the `webhook-id` header.
public enum OwnEvents {
    public static let handledTypes: Set<String> = [
        "pledge.payment_succeeded", "pledge.payment_failed", "pledge.payment_refunded", "pledge.chargeback",
        "pledge.cancelled", "pledge.paused", "pledge.resumed",
    ]

    public static func decode(_ body: [UInt8], id: String) throws(PledgerError) -> WebhookEvent {
        let root = try JSONValue.parse(body)
        let type = try root["type"].requireString()
        let data = root["data"]
        guard handledTypes.contains(type) else {
            let occurredAt = data["occurred_at"].string.flatMap { try? Timestamp.parse($0, field: "occurred_at") }
            return WebhookEvent(
                id: id, type: type, occurredAt: occurredAt,
                action: .ignore(reason: "Pledger does not use \(type) events"))
        }
        let occurredText = try data["occurred_at"].requireString()
        let occurredAt: Date
        do throws(PledgerError) {
            occurredAt = try Timestamp.parse(occurredText, field: data["occurred_at"].path)
        } catch {
            throw PledgerError(.invalid, code: "invalid_payload", field: error.field, message: error.message)
        }
        func money(_ key: String) throws(PledgerError) -> Money {
            try data[key].requireMoney(currency: data["currency"])
        }
        func optionalMoney(_ key: String) throws(PledgerError) -> Money? {
            data[key].exists ? try money(key) : nil
        }
        let action: WebhookAction
        switch type {
        case "pledge.payment_succeeded":
            action = .payment(
                PledgeReference(pledgeID: ID(try data["pledge_id"].requireString())),
                externalID: try data["payment_id"].requireString(),
                amount: try money("amount"), fee: try optionalMoney("fee"), linkRefs: [])
        case "pledge.payment_failed":
            action = .paymentFailed(PledgeReference(pledgeID: ID(try data["pledge_id"].requireString())))
        case "pledge.payment_refunded":
            action = .refund(
                paymentRefs: [try data["payment_id"].requireString()], refundID: try data["refund_id"].requireString(),
                amount: try money("amount"))
        case "pledge.chargeback":
            action = .chargeback(
                paymentRefs: [try data["payment_id"].requireString()],
                disputeID: try data["dispute_id"].requireString(),
                amount: try money("amount"), fee: try optionalMoney("fee"))
        case "pledge.paused":
            let resumesAt: Date?
            if let text = data["resumes_at"].string {
                do throws(PledgerError) {
                    resumesAt = try Timestamp.parse(text, field: data["resumes_at"].path)
                } catch {
                    throw PledgerError(.invalid, code: "invalid_payload", field: error.field, message: error.message)
                }
            } else {
                resumesAt = nil
            }
            action = .update(
                PledgeReference(pledgeID: ID(try data["pledge_id"].requireString())), amount: nil, cadence: nil,
                pause: .paused(resumesAt: resumesAt))
        case "pledge.resumed":
            action = .update(
                PledgeReference(pledgeID: ID(try data["pledge_id"].requireString())), amount: nil, cadence: nil,
                pause: .running)
        default:  // pledge.cancelled
            action = .cancel(PledgeReference(pledgeID: ID(try data["pledge_id"].requireString())))
        }
        return WebhookEvent(id: id, type: type, occurredAt: occurredAt, action: action)
    }
}
