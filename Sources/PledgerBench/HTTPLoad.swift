import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Closed-loop load over loopback: 32 connections, each sending its requests one after another.
enum HTTPLoad {
    struct Figures {
        var rate: Double
        /// Seconds, sorted.
        var latencies: [Double]

        var percentiles: String {
            let p50 = latencies[latencies.count / 2] * 1000
            let p99 = latencies[latencies.count * 99 / 100] * 1000
            return "p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms"
        }
    }

    /// Runs `perConnection` requests on each of 32 connections; `request(connection, n)` gives the
    /// path, headers and body (nil for a GET). Every answer must be a success.
    static func run(
        port: Int, perConnection: Int, connections: Int = 32,
        _ request: @escaping @Sendable (Int, Int) -> (String, HTTPFields, ByteBuffer?)
    ) async -> Figures {
        let started = ContinuousClock.now
        let latencies = await withTaskGroup(of: [Double].self) { group in
            for connection in 0..<connections {
                group.addTask {
                    let client = TestClient(host: "127.0.0.1", port: port)
                    client.connect()
                    var times: [Double] = []
                    for n in 0..<perConnection {
                        let (uri, headers, body) = request(connection, n)
                        let start = ContinuousClock.now
                        let response =
                            body == nil
                            ? try! await client.get(uri, headers: headers)
                            : try! await client.post(uri, headers: headers, body: body!)
                        precondition(response.status.code < 300, "\(response.status)")
                        times.append(seconds(ContinuousClock.now - start))
                    }
                    try? await client.shutdown()
                    return times
                }
            }
            var all: [Double] = []
            for await part in group { all += part }
            return all
        }
        return Figures(
            rate: Double(latencies.count) / seconds(ContinuousClock.now - started), latencies: latencies.sorted())
    }

    /// The body of one GET.
    static func body(port: Int, path: String) async throws -> [UInt8] {
        let client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
        defer { Task { try? await client.shutdown() } }
        let response = try await client.get(path)
        return response.body.map { Array($0.readableBytesView) } ?? []
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
