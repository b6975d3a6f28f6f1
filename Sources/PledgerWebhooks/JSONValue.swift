import Foundation
import PledgerCore

/// A parsed JSON document, read by path with errors that name the field (`data.object.amount`).
/// Processor payloads come in several shapes across API versions; reading by path keeps each
/// decoder a short list of the fields it needs.
public struct JSONValue: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        /// `number` is a non-integer number; money is never read from one, so its value is not kept.
        case null
        case bool(Bool)
        case integer(Int64)
        case number
        case string(String)
        case array([Node])
        case object([String: Node])
    }

    let node: Node?
    /// The dotted path this value was reached by, for error messages.
    public let path: String

    init(node: Node?, path: String) {
        self.node = node
        self.path = path
    }

    /// Parses `bytes` strictly (``StrictJSONParser``); malformed JSON is an error naming `field`, and a key
    /// given twice in one object is `duplicate_field` naming that key.
    public static func parse(_ bytes: [UInt8], field: String = "body") throws(PledgerError) -> JSONValue {
        do throws(StrictJSONParser.Failure) {
            return JSONValue(node: try StrictJSONParser.parse(bytes), path: "")
        } catch .duplicateKey(let key) {
            throw PledgerError(
                .invalid, code: "duplicate_field", field: key, message: "appears more than once in the same object")
        } catch {
            throw PledgerError(.invalid, code: "invalid_payload", field: field, message: "is not valid JSON")
        }
    }

    public subscript(key: String) -> JSONValue {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        if case .object(let fields) = node { return JSONValue(node: fields[key], path: childPath) }
        return JSONValue(node: nil, path: childPath)
    }

    public subscript(index: Int) -> JSONValue {
        let childPath = "\(path)[\(index)]"
        if case .array(let items) = node, items.indices.contains(index) {
            return JSONValue(node: items[index], path: childPath)
        }
        return JSONValue(node: nil, path: childPath)
    }

    /// Present and not `null`.
    public var exists: Bool {
        guard let node else { return false }
        return node != .null
    }

    /// Whether the key is there at all, `null` included: Stripe's `previous_attributes` names a
    /// field that changed from null with `"field": null`.
    public var isPresent: Bool { node != nil }

    /// The keys of an object (empty for anything else), sorted.
    public var keys: [String] {
        if case .object(let fields) = node { return fields.keys.sorted() }
        return []
    }

    /// Whether this is a JSON object.
    public var isObject: Bool {
        if case .object = node { return true }
        return false
    }

    public var string: String? {
        if case .string(let value) = node { return value }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let value) = node { return value }
        return nil
    }

    public var array: [JSONValue] {
        guard case .array(let items) = node else { return [] }
        return items.indices.map { self[$0] }
    }

    /// A string, or an expandable Stripe object's `id`.
    public var idString: String? {
        string ?? self["id"].string
    }

    public func requireString() throws(PledgerError) -> String {
        guard let value = string, !value.isEmpty else { throw missing("a non-empty string") }
        return value
    }

    public func requireInteger() throws(PledgerError) -> Int64 {
        guard let value = integer else { throw missing("an integer") }
        return value
    }

    public func requireID() throws(PledgerError) -> String {
        guard let value = idString, !value.isEmpty else { throw missing("an id") }
        return value
    }

    /// Money from integer minor units and an ISO 4217 code in any case (Stripe sends `usd`).
    public func requireMoney(currency: JSONValue) throws(PledgerError) -> Money {
        let code = try currency.requireString()
        let parsed: Currency
        do {
            parsed = try Currency.parse(code.uppercased(), field: currency.path)
        } catch {
            throw PledgerError(
                .invalid, code: "invalid_payload", field: currency.path,
                message: "\"\(code)\" is not an ISO 4217 currency")
        }
        let minor = try requireInteger()
        guard minor >= 0 else {
            throw PledgerError(.invalid, code: "invalid_payload", field: path, message: "must not be negative")
        }
        return Money(minorUnits: minor, currency: parsed)
    }

    /// An instant from unix seconds.
    public var unixTime: Date? {
        integer.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    func missing(_ expected: String) -> PledgerError {
        let found = exists ? "has another type" : "is missing"
        return PledgerError(.invalid, code: "invalid_payload", field: path, message: "\(found); expected \(expected)")
    }
}
