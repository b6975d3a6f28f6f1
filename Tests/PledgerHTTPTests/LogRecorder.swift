import Logging
import Synchronization

/// Keeps every log line a test's service writes, as `message key=value …`, to read the access log.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger at `.info` whose lines land here.
    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    var records: [String] { lines.withLock { $0 } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            let fields = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            recorder.lines.withLock { $0.append(([message.description] + fields).joined(separator: " ")) }
        }
    }
}
