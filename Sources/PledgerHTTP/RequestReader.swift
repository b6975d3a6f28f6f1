import Foundation
import HTTPTypes
import Hummingbird
import PledgerCore
import PledgerWebhooks

/// Reads request bodies with the size limit enforced before they are read whole.
struct RequestReader: Sendable {
    let bodyLimit: Int

    /// The raw body: refused with 413 when `Content-Length` says it is too big, or as soon as
    /// more than the limit has arrived.
    func bytes(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > bodyLimit {
            throw APIError(
                .contentTooLarge, code: "body_too_large",
                message: "the body is \(length) bytes; the limit is \(bodyLimit)")
        }
        // Counted chunk by chunk rather than `collect(upTo:)`, whose NIOTooManyBytesError became a
        // 500 for a chunked body (no Content-Length) over the limit.
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= bodyLimit else {
                throw APIError(
                    .contentTooLarge, code: "body_too_large",
                    message: "the body is over the limit of \(bodyLimit) bytes")
            }
            bytes += chunk.readableBytesView
        }
        return bytes
    }

    /// A JSON object body: 415 unless `Content-Type` is JSON, 400 when it is not a JSON object.
    func json(_ request: Request) async throws -> (value: JSONValue, bytes: [UInt8]) {
        try Self.require(request, type: "application/json")
        let bytes = try await bytes(request)
        return (try Self.object(bytes), bytes)
    }

    /// Like ``json(_:)``, for a route whose fields are all optional: an empty body (with or
    /// without a `Content-Type`) is the empty object.
    func jsonOrEmpty(_ request: Request) async throws -> (value: JSONValue, bytes: [UInt8]) {
        let bytes = try await bytes(request)
        if bytes.isEmpty { return (try Self.object(Array("{}".utf8)), bytes) }
        try Self.require(request, type: "application/json")
        return (try Self.object(bytes), bytes)
    }

    private static func object(_ bytes: [UInt8]) throws -> JSONValue {
        let value: JSONValue
        do throws(PledgerError) {
            value = try JSONValue.parse(bytes)
        } catch let error where error.code == "duplicate_field" {
            // A key given twice is well-formed JSON that means two things: a 422 naming the key.
            throw error
        } catch {
            throw APIError(.badRequest, code: "malformed_json", message: "the body is not valid JSON")
        }
        guard value.isObject else {
            throw APIError(.badRequest, code: "malformed_json", message: "the body must be a JSON object")
        }
        return value
    }

    /// A form post of Pledger's own pages (`application/x-www-form-urlencoded`, else 415), as
    /// field → value; a field given twice keeps its last value.
    func form(_ request: Request) async throws -> [String: String] {
        try Self.require(request, type: "application/x-www-form-urlencoded")
        // A form encodes a space as "+" and a typed "+" as %2B: turn the former back before decoding.
        let body = String(decoding: try await bytes(request), as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in URLComponents(string: "?" + body)?.queryItems ?? [] { fields[item.name] = item.value }
        return fields
    }

    private static func require(_ request: Request, type expected: String) throws {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard type == expected else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "send the body as Content-Type: \(expected)")
        }
    }
}

/// Typed reads of request fields: a wrong type or a missing field is a 422 naming the field.
extension JSONValue {
    /// Refuses fields the route does not know, so a misspelt field is an error, not silently ignored.
    func allowOnly(_ known: [String]) throws {
        if let unknown = keys.first(where: { !known.contains($0) }) {
            throw PledgerError.invalid(
                unknown, "is not a field of this request; expected \(known.joined(separator: ", "))",
                code: "unknown_field")
        }
    }

    /// A text field; control characters are refused first (``TextField``), naming the field.
    func string(_ key: String) throws -> String {
        let text = try self[key].requireString()
        try TextField.check(text, field: key)
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        let value = self[key]
        guard value.exists else { return nil }
        return try string(key)
    }

    /// Like ``optionalString(_:)``, but an empty string is absent: what a browser form sends for a
    /// field left blank (`document.referrer` on a direct visit, an untouched honeypot).
    func optionalNonEmpty(_ key: String) throws -> String? {
        if self[key].string == "" { return nil }
        return try optionalString(key)
    }

    func optionalInteger(_ key: String) throws -> Int64? {
        let value = self[key]
        guard value.exists else { return nil }
        return try value.requireInteger()
    }
}

extension Request {
    /// A query parameter, or nil when absent.
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name)
    }

    /// An integer query parameter; a non-integer is a 422 naming it.
    func queryInt(_ name: String, default fallback: Int) throws -> Int {
        guard let text = query(name) else { return fallback }
        guard let value = Int(text) else { throw PledgerError.invalid(name, "\"\(text)\" is not a whole number") }
        return value
    }
}
