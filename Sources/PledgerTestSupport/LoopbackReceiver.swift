import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerCore
import PledgerWebhooks
import Synchronization

/// A webhook receiver on 127.0.0.1 (port 0), for delivery tests: records every POST, verifies its
/// Standard Webhooks signature with the project's own verifier, and answers what the test says.
public final class LoopbackReceiver: Sendable {
    /// One POST as received.
    public struct Received: Sendable {
        public let path: String
        public let id: String?
        public let timestamp: String?
        public let signature: String?
        public let contentType: String?
        public let body: [UInt8]
        /// Whether the signature verified against the secrets set for the path; nil when none were set.
        public let verified: Bool?

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
        /// The `v1,…` entries of `webhook-signature`.
        public var signatures: [String] { (signature ?? "").split(separator: " ").map(String.init) }
    }

    /// How the receiver answers the `n`th POST (from 1) to `path`: a status, after whatever waiting it
    /// likes (on the receiver's own waits and gates, never a sleep).
    public typealias Responder = @Sendable (_ receiver: LoopbackReceiver, _ path: String, _ n: Int) async -> Int

    private struct State {
        var received: [Received] = []
        var secrets: [String: [String]] = [:]
        var waiters: [(path: String?, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var endlessPaths: Set<String> = []
        var openGates: Set<String> = []
        var gateWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Mutex(State())
    private let clock: WallClock
    private let responder: Responder

    private init(clock: WallClock, responder: @escaping Responder) {
        self.clock = clock
        self.responder = responder
    }

    /// Runs a receiver for the duration of `body`, which gets it and the URL prefix
    /// (`http://127.0.0.1:PORT`).
    public static func run<T: Sendable>(
        clock: WallClock, responder: @escaping Responder = { _, _, _ in 200 },
        _ body: @Sendable (LoopbackReceiver, String) async throws -> T
    ) async throws -> T {
        let receiver = LoopbackReceiver(clock: clock, responder: responder)
        let router = Router()
        router.post("**") { request, context -> Response in
            try await receiver.handle(request, context: context)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body(receiver, "http://127.0.0.1:\(client.port!)")
        }
    }

    /// The secrets that deliveries to `path` must be signed with (any one of them).
    public func expectSecrets(_ secrets: [String], path: String) {
        state.withLock { $0.secrets[path] = secrets }
    }

    /// Everything received so far, in arrival order; only `path`'s when given.
    public func received(path: String? = nil) -> [Received] {
        state.withLock { state in state.received.filter { path == nil || $0.path == path } }
    }

    /// Returns once `count` POSTs (to `path`, when given) have arrived; never sleeps.
    public func waitFor(count: Int, path: String? = nil) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.received.filter({ path == nil || $0.path == path }).count >= count { return true }
                state.waiters.append((path, count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Answers POSTs to `path` with a body that never ends (until the client hangs up): a sender
    /// that reads whole answers never finishes.
    public func answerEndlessly(path: String) {
        state.withLock { _ = $0.endlessPaths.insert(path) }
    }

    /// Returns once the gate `name` is opened (at once if it already is).
    public func waitForGate(_ name: String) async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if state.openGates.contains(name) { return true }
                state.gateWaiters[name, default: []].append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    /// Opens the gate `name`: every answer waiting on it goes out.
    public func openGate(_ name: String) {
        let waiting = state.withLock { state in
            state.openGates.insert(name)
            return state.gateWaiters.removeValue(forKey: name) ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    private func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        var request = request
        let body = Array(buffer: try await request.collectBody(upTo: 1 << 20))
        let path = request.uri.path
        let fields = request.headers
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { fields[$0] } }
        let secrets = state.withLock { $0.secrets[path] }
        var verified: Bool?
        if let secrets {
            verified =
                (try? StandardWebhooksScheme(secrets: secrets).verify(
                    id: header("webhook-id"), timestamp: header("webhook-timestamp"),
                    signature: header("webhook-signature"), body: body, now: clock.now)) != nil
        }
        let received = Received(
            path: path, id: header("webhook-id"), timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"), contentType: header("content-type"), body: body,
            verified: verified)
        let (n, ready) = state.withLock { state -> (Int, [CheckedContinuation<Void, Never>]) in
            state.received.append(received)
            let n = state.received.filter { $0.path == path }.count
            var ready: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                let count = state.received.filter { waiter.path == nil || $0.path == waiter.path }.count
                guard count >= waiter.count else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return (n, ready)
        }
        for continuation in ready { continuation.resume() }
        let status = await responder(self, path, n)
        var headers = HTTPFields()
        if (300..<400).contains(status) { headers[.location] = "/redirected" }
        if state.withLock({ $0.endlessPaths.contains(path) }) {
            let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 16 * 1024)
            return Response(
                status: HTTPResponse.Status(code: status), headers: headers,
                body: ResponseBody { writer in
                    // Ends when the client closes the connection and a write fails.
                    while true { try await writer.write(chunk) }
                })
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers)
    }
}

/// A clock a test moves by hand: deliveries due "in 5 minutes" are due once it is moved.
public final class SettableClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public var clock: WallClock {
        WallClock { [self] in now }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
