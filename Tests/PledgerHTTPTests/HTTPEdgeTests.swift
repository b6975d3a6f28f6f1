import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 12, items 4 and 12: the HTTP edge answers in Pledger's JSON shape with the headers HTTP asks for.
@Suite("HTTP edge")
struct HTTPEdgeTests {
    /// Sends `request` as raw bytes to 127.0.0.1:`port` and reads until the server closes (10 s at most).
    static func rawExchange(port: Int, _ request: [UInt8]) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }  // the server may stop reading once it has answered
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("A chunked body over the limit is 413 with the JSON error, not 500")
    func chunkedOverLimit() async throws {
        let limit = 64 * 1024
        let service = try await TestService(bodyLimit: limit)
        try await service.application.test(.live) { client in
            let port = try #require(client.port)
            var request = Array(
                """
                POST /v1/pledges HTTP/1.1\r
                Host: 127.0.0.1\r
                Authorization: Bearer \(service.writer)\r
                Content-Type: application/json\r
                Transfer-Encoding: chunked\r
                Connection: close\r
                \r

                """.utf8)
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
            for _ in 0..<(limit / chunk.count) {
                request += Array("1000\r\n".utf8) + chunk + Array("\r\n".utf8)
            }
            request += Array("1\r\nx\r\n0\r\n\r\n".utf8)
            let answer = try await Task.detached { try Self.rawExchange(port: port, request) }.value
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(300))")
            #expect(answer.contains(#""body_too_large""#), "\(answer.prefix(400))")
        }
        #expect(try await service.ledger.app.pledges.list().isEmpty)
    }

    @Test("A method a route does not have is 405 with Allow, not 404")
    func methodNotAllowed() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            for (method, uri, allow) in [
                (HTTPRequest.Method.delete, "/v1/pledges", "POST, GET"),
                (.put, "/v1/pledges/pl_x", "GET"),
                (.get, "/v1/pledges/pl_x/cancel", "POST"),
                (.get, "/v1/webhooks/stripe", "POST"),
                (.post, "/healthz", "GET"),
            ] {
                let response = try await client.execute(
                    uri: uri, method: method, headers: service.headers(service.writer, json: false))
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                #expect(try response.errorCode() == "method_not_allowed")
            }
            let unknown = try await client.execute(uri: "/v1/nothing", method: .delete)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("A 401 carries WWW-Authenticate: Bearer")
    func unauthorizedChallenge() async throws {
        let service = try await TestService()
        try await service.application.test(.router) { client in
            for token in [nil, "plg_wrong"] {
                let response = try await client.execute(
                    uri: "/v1/pledges", method: .get, headers: service.headers(token, json: false))
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }
}

extension HTTPEdgeTests {
    @Test("Headers over 80 KB are 431 with the JSON error, a request id and an access-log line, not a bare 400")
    func oversizedHeaders() async throws {
        let service = try await TestService()
        let log = LogRecorder()
        try await service.application(logger: log.logger).test(.live) { client in
            let port = try #require(client.port)
            let filler = String(repeating: "a", count: 90 * 1024)
            let request = Array(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: \(filler)\r\nConnection: close\r\n\r\n".utf8)
            let answer = try await Task.detached { try Self.rawExchange(port: port, request) }.value
            #expect(answer.hasPrefix("HTTP/1.1 431"), "\(answer.prefix(300))")
            #expect(answer.contains(#""headers_too_large""#), "\(answer.prefix(400))")
            #expect(answer.lowercased().contains("x-request-id: req_"), "\(answer.prefix(400))")
        }
        // The access log has its line, with the request id the answer carried.
        let line = try #require(log.records.first { $0.contains("status=431") }, "\(log.records)")
        #expect(line.contains("request_id=req_") && line.contains("reason=request headers over the limit"), "\(line)")
    }
}
