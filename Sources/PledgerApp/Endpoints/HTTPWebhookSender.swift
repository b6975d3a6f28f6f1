import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PledgerCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends deliveries with AsyncHTTPClient: redirects never followed, at most 64 KB of an answer
/// read, and every address the host resolves to checked against the request-forgery rules first.
///
/// Call ``shutdown()`` when done with it.
public final class HTTPWebhookSender: WebhookSender {
    private let client: HTTPClient
    private let addresses: EndpointAddressPolicy

    public init(addresses: EndpointAddressPolicy) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.addresses = addresses
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: WebhookRequest) async -> WebhookResponse {
        let target: EndpointAddressPolicy.Target
        do {
            target = try addresses.check(url: request.url)
        } catch {
            return WebhookResponse(status: nil, error: "refused: \(error.message)")
        }
        if target.literal == nil {
            // Checked at delivery time as well as when added: a name may point elsewhere later.
            switch await Self.resolve(target.host) {
            case .failure(let reason): return WebhookResponse(status: nil, error: reason.description)
            case .success(let resolved):
                for address in resolved {
                    if let refusal = addresses.refusal(of: address) {
                        return WebhookResponse(status: nil, error: "refused: \(target.host) resolves to \(refusal)")
                    }
                }
            }
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(request.body)
        let seconds = request.timeout.components
        let timeout = TimeAmount.nanoseconds(
            seconds.seconds * 1_000_000_000 + seconds.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            // At most 64 KB of the answer is read; the rest is dropped with the connection.
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read >= DeliverySettings.responseLimit { break }
            }
            return WebhookResponse(status: Int(response.status.code))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return WebhookResponse(status: nil, error: "no answer within \(request.timeout)")
        } catch {
            return WebhookResponse(status: nil, error: "could not send: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        if let error = error as? IOError { return "\(error)" }
        return String(describing: type(of: error))
    }

    /// Every address `host` resolves to, looked up on NIO's thread pool (getaddrinfo blocks).
    static func resolve(_ host: String) async -> Result<[IPAddress], ResolveFailure> {
        do {
            return try await NIOThreadPool.singleton.runIfActive { lookUp(host) }
        } catch {
            return .failure(ResolveFailure("could not resolve \(host)"))
        }
    }

    struct ResolveFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static func lookUp(_ host: String) -> Result<[IPAddress], ResolveFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else { return .failure(ResolveFailure("could not resolve \(host)")) }
        defer { freeaddrinfo(first) }
        var found: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let sockaddr = info.pointee.ai_addr {
                switch Int32(info.pointee.ai_family) {
                case AF_INET:
                    let address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    let value = UInt32(bigEndian: address.s_addr)
                    found.append(
                        IPAddress(bytes: [
                            UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff),
                            UInt8(value & 0xff),
                        ])!)
                case AF_INET6:
                    let bytes = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes) { found.append(address) }
                default: break
                }
            }
            cursor = info.pointee.ai_next
        }
        return found.isEmpty ? .failure(ResolveFailure("could not resolve \(host)")) : .success(found)
    }
}
