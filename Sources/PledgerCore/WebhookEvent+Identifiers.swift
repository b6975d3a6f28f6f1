extension WebhookEvent {
    /// Refuses an event whose id, type or any identifier it names (pledge, processor references,
    /// payment, refund and dispute ids) holds a control character or is longer than
    /// ``TextField/maxIdentifierLength``: signed or not, they come from outside and are stored and printed.
    /// - Parameter idField: how the event id is named to the sender (`id` for Stripe, `webhook-id`).
    ///
    /// An `occurredAt` before ``Timestamp/ledgerStart`` is refused too, as `--at` is: no report shows it.
    public func checkIdentifiers(idField: String) throws(PledgerError) {
        if let occurredAt { try Timestamp.checkInLedger(occurredAt, field: "occurred_at") }
        _ = try TextField.identifier(id, field: idField)
        _ = try TextField.identifier(type, field: "type")
        for (field, value) in namedIdentifiers {
            try TextField.check(value, field: field)
            guard value.count <= TextField.maxIdentifierLength else {
                throw .invalid(field, "is longer than \(TextField.maxIdentifierLength) characters")
            }
        }
    }

    private var namedIdentifiers: [(String, String)] {
        func reference(_ reference: PledgeReference?) -> [(String, String)] {
            guard let reference else { return [] }
            return (reference.pledgeID.map { [("pledge_id", $0.rawValue)] } ?? [])
                + reference.processorRefs.map { ("reference", $0) }
        }
        switch action {
        case .link(let pledge, let refs): return reference(pledge) + refs.map { ("reference", $0) }
        case .payment(let pledge, let externalID, _, _, let refs):
            return reference(pledge) + [("external_id", externalID)] + refs.map { ("reference", $0) }
        case .paymentFailed(let pledge), .cancel(let pledge), .update(let pledge, _, _, _): return reference(pledge)
        case .refundedTotal(let refs, let chargeID, _):
            return refs.map { ("reference", $0) } + [("charge_id", chargeID)]
        case .refund(let refs, let id, _), .chargeback(let refs, let id, _, _):
            return refs.map { ("reference", $0) } + [("external_id", id)]
        case .ignore: return []
        }
    }
}
