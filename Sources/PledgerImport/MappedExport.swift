import Foundation
import PledgerCore

/// One row of any donations export, read through an ``ImportMapping``: a payment (or a row to
/// skip) of a supporter, with the keys that make a re-run find what it created.
public struct MappedDonation: Sendable, Equatable {
    public let source: SourceRow
    public let email: EmailAddress
    /// The supporter's id at the exporting system, when the mapping names the column.
    public let supporterRef: String?
    /// The recurring pledge's id at the exporting system, when the mapping names the column.
    public let pledgeRef: String?
    public let externalID: String
    public let amount: Money
    public let fee: Money?
    public let cadence: Cadence
    public let at: Date
    public let status: ImportMapping.RowStatus
}

/// Reads an export's rows through a mapping: each row a ``MappedDonation`` or an ``ImportRefusal``.
public enum MappedExport {
    /// The export's rows through `mapping`; refuses the file (line 1) when a mapped column is missing.
    public static func donations(_ table: CSVTable, mapping: ImportMapping) throws(ImportRefusal) -> (
        rows: [MappedDonation], refused: [ImportRefusal]
    ) {
        try table.require(ImportMapping.fields.compactMap { mapping.columns[$0.name] })
        var rows: [MappedDonation] = []
        var refused: [ImportRefusal] = []
        for record in table.records {
            var field = "external_id"
            func column(_ name: String) -> String? { mapping.columns[name] }
            func value(_ name: String) -> String? { column(name).flatMap { record.value($0) } }
            func required(_ name: String) throws(PledgerError) -> String {
                guard let text = value(name) else { throw .invalid(name, "must not be empty") }
                return text
            }
            do throws(PledgerError) {
                let externalID = try TextField.identifier(required("external_id"), field: "external_id")
                field = "status"
                let status: ImportMapping.RowStatus
                if let text = value("status") {
                    guard let known = mapping.statusValues[text.lowercased()] else {
                        let words = mapping.statusValues.keys.sorted().joined(separator: ", ")
                        throw .invalid("status", "\"\(text)\" is not a status the mapping knows (\(words))")
                    }
                    status = known
                } else {
                    status = column("status") == nil ? .paid : .skip
                }
                field = "email"
                let email = try EmailAddress(required("email"))
                if column("name") != nil {
                    field = "name"
                    try TextField.check(value("name"), field: "name")
                }
                field = "currency"
                let currency =
                    try value("currency").map { text throws(PledgerError) in try Currency.parse(text.uppercased()) }
                    ?? mapping.defaultCurrency
                guard let currency else { throw .invalid("currency", "must not be empty") }
                field = "amount"
                let amount = try money(required("amount"), currency, mapping, field: "amount")
                guard amount.minorUnits > 0 else { throw .invalid("amount", "must be more than zero") }
                field = "fee"
                var fee = try value("fee").map { text throws(PledgerError) in
                    try money(text, currency, mapping, field: "fee")
                }
                if fee?.isZero == true { fee = nil }
                field = "cadence"
                let cadence: Cadence
                if let text = value("cadence") {
                    if let known = mapping.cadenceValues[text.lowercased()] {
                        cadence = known
                    } else {
                        cadence = try Cadence.parse(text)
                    }
                } else if let fallback = mapping.defaultCadence {
                    cadence = fallback
                } else {
                    throw .invalid("cadence", "must not be empty")
                }
                field = "date"
                let text = try required("date")
                let at: Date
                if let pattern = mapping.dateFormat {
                    at = try ExportTime.parse(text, pattern: pattern, field: "date")
                } else {
                    at = try ExportTime.parse(text, field: "date")
                }
                field = "supporter_id"
                let supporterRef = try value("supporter_id").map { text throws(PledgerError) in
                    try TextField.identifier(text, field: "supporter_id")
                }
                field = "pledge_id"
                let pledgeRef = try value("pledge_id").map { text throws(PledgerError) in
                    try TextField.identifier(text, field: "pledge_id")
                }
                rows.append(
                    MappedDonation(
                        source: record.source, email: email, supporterRef: supporterRef, pledgeRef: pledgeRef,
                        externalID: externalID, amount: amount, fee: fee, cadence: cadence, at: at, status: status))
            } catch {
                refused.append(record.source.refusal(error, column: mapping.columns[error.field ?? field] ?? field))
            }
        }
        return (rows, refused)
    }

    /// An amount as the export writes it: with the mapping's decimal separator, otherwise as Core parses it.
    static func money(_ text: String, _ currency: Currency, _ mapping: ImportMapping, field: String)
        throws(PledgerError)
        -> Money
    {
        guard mapping.decimalSeparator == "," else { return try Money.parse(text, currency: currency, field: field) }
        if text.contains(".") {
            throw .invalid(
                field, "\"\(text)\" has a '.'; this export writes decimals with ',' and no thousands separators")
        }
        return try Money.parse(text.replacingOccurrences(of: ",", with: "."), currency: currency, field: field)
    }
}
