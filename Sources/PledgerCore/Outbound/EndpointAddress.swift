import Foundation

/// Which addresses an endpoint may point at: the rules against server-side request forgery.
///
/// Pure: the URL and literal addresses are checked when an endpoint is added; the deliverer
/// classifies the addresses a host name resolves to with the same rules before each POST.
public struct EndpointAddressPolicy: Sendable, Equatable {
    /// Plain http to a loopback address, and loopback at all: for development and tests.
    public var allowInsecure: Bool
    /// Addresses in private, link-local, shared or reserved networks.
    public var allowPrivate: Bool

    public init(allowInsecure: Bool = false, allowPrivate: Bool = false) {
        self.allowInsecure = allowInsecure
        self.allowPrivate = allowPrivate
    }

    /// The scheme, host and port of an acceptable endpoint URL.
    public struct Target: Sendable, Equatable {
        public var scheme: String
        /// Without brackets for an IPv6 literal, lowercased.
        public var host: String
        public var port: Int
        /// The host as an address when it is a literal one.
        public var literal: IPAddress?
    }

    /// Checks `text` as an endpoint URL: absolute, https (or http to loopback when insecure is
    /// allowed), no user info, and a literal address not in a refused network.
    public func check(url text: String, field: String = "url") throws(PledgerError) -> Target {
        guard text.count <= 2048 else { throw .invalid(field, "is longer than 2048 characters") }
        guard !text.isEmpty, text.trimmingCharacters(in: .whitespacesAndNewlines) == text,
            let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let rawHost = components.host, !rawHost.isEmpty
        else { throw .invalid(field, "is not an absolute URL such as https://example.org/hooks") }
        guard components.user == nil, components.password == nil else {
            throw .invalid(field, "must not carry a user name or password; the signature authenticates deliveries")
        }
        guard components.fragment == nil else { throw .invalid(field, "must not have a #fragment") }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let literal = IPAddress(parsing: host)
        // No top-level domain is numeric: `2130706433` or `0x7f.1` would be an address in another
        // spelling, which resolvers accept and these rules would not see.
        if literal == nil, let last = host.split(separator: ".").last,
            last.allSatisfy({ $0.isHexDigit || $0 == "x" }), last.first?.isNumber == true
        {
            throw .invalid(field, "has host \(host), which is neither a name nor a dotted-quad address")
        }
        let loopback = host == "localhost" || host.hasSuffix(".localhost") || literal?.network == .loopback
        switch scheme {
        case "https": break
        case "http":
            guard allowInsecure, loopback else {
                throw .invalid(
                    field,
                    allowInsecure
                        ? "must use https; plain http is allowed only to a loopback address"
                        : "must use https (plain http to loopback needs --allow-insecure-endpoints)")
            }
        default: throw .invalid(field, "must use https, not \(scheme)")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw .invalid(field, "has port \(port), outside 1 to 65535") }
        if loopback && literal == nil {
            try refuse(.loopback, address: host, field: field)
        }
        if let literal { try refuse(literal.network, address: host, field: field) }
        return Target(scheme: scheme, host: host, port: port, literal: literal)
    }

    /// Whether a delivery may go to `address` (one the host resolved to); nil when it may, else why not.
    public func refusal(of address: IPAddress) -> String? {
        do throws(PledgerError) {
            try refuse(address.network, address: address.description, field: "url")
            return nil
        } catch {
            return error.message
        }
    }

    private func refuse(_ network: IPAddress.Network, address: String, field: String) throws(PledgerError) {
        switch network {
        case .public: return
        case .loopback:
            if allowInsecure || allowPrivate { return }
            throw .invalid(
                field,
                "points at \(address), a loopback address; allowed only with --allow-insecure-endpoints "
                    + "or --allow-private-endpoints", code: "endpoint_address_refused")
        case .private(let name):
            if allowPrivate { return }
            throw .invalid(
                field,
                "points at \(address), in \(name); private networks need --allow-private-endpoints",
                code: "endpoint_address_refused")
        }
    }
}

/// An IPv4 or IPv6 address, parsed from its text form, and the network it belongs to.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses dotted-quad IPv4 (`10.0.0.1`, four decimal parts only) or IPv6 (`fe80::1`,
    /// `::ffff:10.0.0.1`); nil for anything else, host names included.
    public init?(parsing text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    /// What kind of network an address is in, for the request-forgery rules.
    public enum Network: Sendable, Equatable {
        case `public`
        case loopback
        /// Named for the error message: `10.0.0.0/8 (private)`.
        case `private`(String)
    }

    public var network: Network {
        if bytes.count == 4 { return Self.network(ipv4: bytes) }
        // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible forms are their IPv4 address.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return Self.network(ipv4: Array(bytes[12...]))
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return bytes[15] == 1 ? .loopback : .private("::/128 (unspecified)")
        }
        if bytes[0] & 0xfe == 0xfc { return .private("fc00::/7 (unique local)") }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return .private("fe80::/10 (link-local)") }
        if bytes[0] == 0xff { return .private("ff00::/8 (multicast)") }
        return .public
    }

    private static func network(ipv4 b: [UInt8]) -> Network {
        switch (b[0], b[1]) {
        case (0, _): return .private("0.0.0.0/8 (this network)")
        case (10, _): return .private("10.0.0.0/8 (private)")
        case (100, 64...127): return .private("100.64.0.0/10 (shared address space)")
        case (127, _): return .loopback
        case (169, 254): return .private("169.254.0.0/16 (link-local)")
        case (172, 16...31): return .private("172.16.0.0/12 (private)")
        case (192, 168): return .private("192.168.0.0/16 (private)")
        case (224...255, _): return .private("224.0.0.0/3 (multicast and reserved)")
        default: return .public
        }
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            // A leading zero is octal to some resolvers (0177.0.0.1 is loopback): not a literal here.
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
