import Foundation

/// Writes an event's envelope as compact JSON with snake_case keys in sorted order — the bytes
/// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes, without its cost: it
/// ran on every booking inside the writer's transaction and took a third of a payment's CPU time.
/// `EventBodyWriterTests` holds the two equal.
struct EventBodyWriter {
    /// A JSON object's members, sorted by key when written.
    private struct Object {
        var members: [(key: String, value: String)] = []

        mutating func add(_ key: String, _ value: String?) {
            if let value { members.append((key, value)) }
        }

        mutating func add(_ key: String, string: String?) {
            if let string { members.append((key, EventBodyWriter.quote(string))) }
        }

        mutating func add(_ key: String, integer: Int64?) {
            if let integer { members.append((key, String(integer))) }
        }

        var text: String {
            "{"
                + members.sorted { $0.key < $1.key }.map { EventBodyWriter.quote($0.key) + ":" + $0.value }
                .joined(separator: ",") + "}"
        }
    }

    static func envelope(_ envelope: OutboundEvent.StoredEnvelope) -> String {
        var object = Object()
        object.add("data", data(envelope.data))
        object.add("id", string: envelope.id)
        object.add("occurred_at", string: envelope.occurredAt)
        object.add("schema_version", integer: Int64(envelope.schemaVersion))
        object.add("sequence", integer: envelope.sequence)
        object.add("type", string: envelope.type)
        return object.text
    }

    static func data(_ data: OutboundEventData) -> String {
        var object = Object()
        object.add("supporter", data.supporter.map(supporter))
        object.add("pledge", data.pledge.map(pledge))
        object.add("payment", data.payment.map(payment))
        object.add("reversal", data.reversal.map(reversal))
        object.add("reminder", data.reminder.map(reminder))
        object.add("renewal", data.renewal.map(renewal))
        object.add("confirmation", data.confirmation.map(confirmation))
        object.add("link", data.link.map(link))
        object.add("request", data.request.map(request))
        return object.text
    }

    static func request(_ part: OutboundEventData.RequestPart) -> String {
        var object = Object()
        object.add("id", string: part.id)
        object.add("kind", string: part.kind)
        object.add("months", integer: part.months.map(Int64.init))
        object.add("amount", integer: part.amount)
        object.add("currency", string: part.currency)
        object.add("cadence", string: part.cadence)
        object.add("reason", string: part.reason)
        object.add("note", string: part.note)
        object.add("requested_at", string: part.requestedAt)
        return object.text
    }

    static func link(_ part: OutboundEventData.LinkPart) -> String {
        var object = Object()
        object.add("url", string: part.url)
        object.add("purpose", string: part.purpose)
        object.add("expires_at", string: part.expiresAt)
        return object.text
    }

    static func confirmation(_ part: OutboundEventData.ConfirmationPart) -> String {
        var object = Object()
        object.add("request_id", string: part.requestId)
        object.add("email", string: part.email)
        object.add("campaign", string: part.campaign)
        object.add("page_path", string: part.pagePath)
        object.add("confirm_url", string: part.confirmUrl)
        object.add("expires_at", string: part.expiresAt)
        return object.text
    }

    static func supporter(_ part: OutboundEventData.SupporterPart) -> String {
        var object = Object()
        object.add("id", string: part.id)
        object.add("email", string: part.email)
        object.add("external_ref", string: part.externalRef)
        object.add("name", string: part.name)
        object.add("erased", part.erased.map { $0 ? "true" : "false" })
        return object.text
    }

    static func pledge(_ part: OutboundEventData.PledgePart) -> String {
        var object = Object()
        object.add("id", string: part.id)
        object.add("status", string: part.status)
        object.add("cadence", string: part.cadence)
        object.add("amount", integer: part.amount)
        object.add("currency", string: part.currency)
        object.add("source", string: part.source)
        object.add("processor", string: part.processor)
        object.add("processor_ref", string: part.processorRef)
        object.add("created_at", string: part.createdAt)
        object.add("previous_status", string: part.previousStatus)
        object.add("previous_amount", integer: part.previousAmount)
        object.add("previous_cadence", string: part.previousCadence)
        object.add("resumes_at", string: part.resumesAt)
        return object.text
    }

    static func payment(_ part: OutboundEventData.PaymentPart) -> String {
        var object = Object()
        object.add("id", string: part.id)
        object.add("processor", string: part.processor)
        object.add("external_id", string: part.externalId)
        object.add("cadence", string: part.cadence)
        object.add("amount", integer: part.amount)
        object.add("fee", integer: part.fee)
        object.add("currency", string: part.currency)
        object.add("occurred_at", string: part.occurredAt)
        object.add("receipt_number", string: part.receiptNumber)
        return object.text
    }

    static func reversal(_ part: OutboundEventData.ReversalPart) -> String {
        var object = Object()
        object.add("id", string: part.id)
        object.add("kind", string: part.kind)
        object.add("external_id", string: part.externalId)
        object.add("amount", integer: part.amount)
        object.add("fee", integer: part.fee)
        object.add("currency", string: part.currency)
        object.add("occurred_at", string: part.occurredAt)
        return object.text
    }

    static func reminder(_ part: OutboundEventData.ReminderPart) -> String {
        var object = Object()
        object.add("id", string: part.id)
        object.add("campaign", string: part.campaign)
        object.add("due_at", string: part.dueAt)
        object.add("deferrals", integer: Int64(part.deferrals))
        return object.text
    }

    static func renewal(_ part: OutboundEventData.RenewalPart) -> String {
        var object = Object()
        object.add("renews_at", string: part.renewsAt)
        object.add("amount", integer: part.amount)
        object.add("currency", string: part.currency)
        object.add("cadence", string: part.cadence)
        object.add("days_before", integer: Int64(part.daysBefore))
        return object.text
    }

    /// A JSON string: quotes, backslashes and control characters escaped as JSONEncoder does;
    /// everything else, `/` and non-ASCII included, as it is.
    static func quote(_ text: String) -> String {
        // Most values (ids, codes, instants, e-mails) need no escaping at all.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
