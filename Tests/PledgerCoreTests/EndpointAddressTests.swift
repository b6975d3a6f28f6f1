import Foundation
import PledgerCore
import Testing

/// The request-forgery rules: which endpoint URLs and addresses Pledger may send events to.
@Suite("Endpoint addresses")
struct EndpointAddressTests {
    static let strict = EndpointAddressPolicy()
    static let insecure = EndpointAddressPolicy(allowInsecure: true)
    static let privateAllowed = EndpointAddressPolicy(allowPrivate: true)

    @Test(
        "Private, link-local, shared, unspecified and unique-local addresses are classified as such",
        arguments: [
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "fc00::1", "fd12:3456::1", "fe80::1",
            "febf::1", "::", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
        ])
    func privateNetworks(_ text: String) throws {
        let address = try #require(IPAddress(parsing: text))
        guard case .private = address.network else {
            Issue.record("\(text) is \(address.network)")
            return
        }
    }

    @Test("Loopback, IPv4 and IPv6", arguments: ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
    func loopback(_ text: String) throws {
        #expect(try #require(IPAddress(parsing: text)).network == .loopback)
    }

    @Test(
        "Public addresses, the neighbours of private ranges included",
        arguments: [
            "8.8.8.8", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "192.167.1.1",
            "169.253.1.1", "11.0.0.1", "2001:db8::1", "2606:4700::1111", "fec0::1",
        ])
    func publicAddresses(_ text: String) throws {
        #expect(try #require(IPAddress(parsing: text)).network == .public)
    }

    @Test(
        "Only well-formed literals parse",
        arguments: ["example.org", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1::2::3", "::g", ""])
    func notLiterals(_ text: String) {
        #expect(IPAddress(parsing: text) == nil)
    }

    @Test("IPv6 text round-trips through its bytes")
    func ipv6Bytes() throws {
        let address = try #require(IPAddress(parsing: "fe80::1:2"))
        #expect(address.bytes == [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2])
        #expect(address.description == "fe80:0:0:0:0:0:1:2")
    }

    @Test("https to a public name or address passes; its port defaults to 443")
    func httpsPasses() throws {
        let target = try Self.strict.check(url: "https://hooks.example.org/pledger?x=1")
        #expect(target.host == "hooks.example.org")
        #expect(target.port == 443)
        #expect(try Self.strict.check(url: "https://[2606:4700::1111]:8443/h").port == 8443)
    }

    @Test("Plain http is refused, naming the field and the flag")
    func httpRefused() {
        #expect(throws: PledgerError.self) { try Self.strict.check(url: "http://hooks.example.org/") }
        do {
            _ = try Self.strict.check(url: "http://127.0.0.1:9000/")
        } catch {
            #expect(error.field == "url")
            #expect(error.message.contains("https"))
            #expect(error.message.contains("--allow-insecure-endpoints"))
        }
        // Insecure allows http to loopback only, never to a public host.
        #expect(throws: PledgerError.self) { try Self.insecure.check(url: "http://hooks.example.org/") }
        #expect(throws: PledgerError.self) { try Self.insecure.check(url: "http://10.0.0.1/") }
        #expect(throws: PledgerError.self) { try Self.strict.check(url: "ftp://example.org/") }
    }

    @Test("Loopback needs --allow-insecure-endpoints; then http to it passes")
    func loopbackRules() throws {
        for url in ["https://127.0.0.1/", "https://localhost/", "https://[::1]/", "https://api.localhost/"] {
            #expect(throws: PledgerError.self, "\(url)") { try Self.strict.check(url: url) }
        }
        #expect(try Self.insecure.check(url: "http://127.0.0.1:8080/hook").port == 8080)
        #expect(try Self.insecure.check(url: "http://localhost/hook").port == 80)
        #expect(try Self.insecure.check(url: "http://[::1]:9/hook").host == "::1")
    }

    @Test("A literal private address is refused unless private endpoints are allowed")
    func privateLiterals() throws {
        do {
            _ = try Self.strict.check(url: "https://169.254.169.254/latest/meta-data")
            Issue.record("accepted the metadata address")
        } catch {
            #expect(error.field == "url")
            #expect(error.code == "endpoint_address_refused")
            #expect(error.message.contains("169.254.0.0/16"))
            #expect(error.message.contains("--allow-private-endpoints"))
        }
        #expect(throws: PledgerError.self) { try Self.strict.check(url: "https://[fd00::1]/") }
        #expect(throws: PledgerError.self) { try Self.strict.check(url: "https://[::ffff:192.168.0.1]/") }
        #expect(try Self.privateAllowed.check(url: "https://10.1.2.3/hook").literal != nil)
    }

    @Test("Resolved addresses are judged by the same rules")
    func resolvedRefusal() throws {
        #expect(Self.strict.refusal(of: try #require(IPAddress(parsing: "10.0.0.1"))) != nil)
        #expect(Self.strict.refusal(of: try #require(IPAddress(parsing: "127.0.0.1"))) != nil)
        #expect(Self.insecure.refusal(of: try #require(IPAddress(parsing: "127.0.0.1"))) == nil)
        #expect(Self.insecure.refusal(of: try #require(IPAddress(parsing: "192.168.0.1"))) != nil)
        #expect(Self.strict.refusal(of: try #require(IPAddress(parsing: "8.8.8.8"))) == nil)
    }

    @Test("User info, fragments, relative URLs and numeric hosts that are not dotted quads are refused")
    func malformed() {
        for url in [
            "https://user:pw@example.org/", "https://example.org/#x", "/hooks", "example.org", " https://e.org",
            "https://2130706433/", "https://0x7f.1/", "https://127.1/", "https://0177.0.0.1/", "https://8.8.8.010/",
        ] {
            #expect(throws: PledgerError.self, "\(url)") { try Self.strict.check(url: url) }
        }
    }

    @Test("The retry rules: 2xx delivered, 410 failed at once, others retried on the schedule, then failed")
    func attemptRules() {
        let event = OutboundEvent(
            id: "evt_1", sequence: 1, type: .pledgeCreated, occurredAt: Date(timeIntervalSince1970: 0),
            subjects: EventSubjects(), body: "{}")
        let at = Date(timeIntervalSince1970: 1_000)
        func decide(_ previous: Int, _ status: Int?) -> DeliveryAttempt {
            DeliveryAttempt.decide(
                endpointID: "ep_1", event: event, at: at, previousAttempts: previous, httpStatus: status, error: nil,
                schedule: .standard)
        }
        #expect(decide(0, 204).status == .delivered)
        #expect(decide(0, 500).nextAttemptAt == at.addingTimeInterval(5))
        #expect(decide(1, nil).nextAttemptAt == at.addingTimeInterval(300))
        #expect(decide(0, 410).status == .failed)
        #expect(decide(7, 500).status == .failed)
        #expect(decide(7, 500).attempts == 8)
        #expect(decide(0, 302).status == .pending)
    }
}
