import Foundation
import Logging
import PledgerApp
import PledgerHTTP

/// The server under load, in its own process so that its memory is measured alone: the release
/// `pledger` built beside this benchmark (`pledger serve`), or else this binary re-run with
/// `--serve-child`, which calls the same `serve(app:settings:)` that `pledger serve` does.
final class ServerProcess {
    let process = Process()
    private let output = Pipe()
    let port: Int
    let kind: String

    /// - Parameter box: a box configuration file for `--box`.
    init(db: String, secret: String, box: String? = nil) throws {
        let me = URL(fileURLWithPath: CommandLine.arguments[0])
        let pledger = me.deletingLastPathComponent().appending(path: "pledger")
        if FileManager.default.isExecutableFile(atPath: pledger.path) {
            process.executableURL = pledger
            process.arguments = ["serve", "--port", "0", "--db", db] + (box.map { ["--box", $0] } ?? [])
            kind = "pledger serve"
        } else {
            process.executableURL = me
            process.arguments = ["--serve-child", db] + (box.map { ["--box", $0] } ?? [])
            kind = "serve() in a child process; build `pledger` for the real binary"
        }
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLEDGER_") }
            .merging(["PLEDGER_STANDARD_WEBHOOK_SECRETS": secret]) { _, new in new }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice  // the access log: written, as in production, then dropped
        try process.run()
        // The start line names the port.
        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self)
        guard let port = Int((line.components(separatedBy: "http://127.0.0.1:").last ?? "").prefix { $0.isNumber })
        else {
            throw BenchError("the server did not start: \(line)")
        }
        self.port = port
    }

    /// The server's peak resident memory so far (VmHWM), in megabytes.
    func peakRSSMegabytes() -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    func stop() {
        process.terminate()
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
    }
}

/// `pledger-bench --serve-child DB`: the server alone, as `pledger serve` runs it.
func runServerChild(db: String, box: String?) async throws {
    LoggingSystem.bootstrap(StreamLogHandler.standardError)
    var config = PledgerConfig()
    config.webhooks.standardSecrets = [ProcessInfo.processInfo.environment["PLEDGER_STANDARD_WEBHOOK_SECRETS"] ?? ""]
    if let box { config.box = try BoxConfigurationFile.load(path: box, config: config) }
    let app = try Pledger.open(path: db, config: config)
    try await serve(app: app, settings: ServerSettings(port: 0, logger: Logger(label: "pledger"))) { port in
        FileHandle.standardOutput.write(Data("pledger serving on http://127.0.0.1:\(port)\n".utf8))
    }
}

/// Runs `arguments` (the executable first) to completion, its output discarded, and returns its
/// peak resident memory as the kernel reports it to `wait4` (Foundation's Process reaps its
/// children itself, so it cannot tell).
func childPeakRSSMegabytes(_ arguments: [String]) throws -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var argv = arguments.map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    guard spawned == 0 else { throw BenchError("could not run \(arguments[0]): error \(spawned)") }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid, status == 0 else {
        throw BenchError("\(arguments.joined(separator: " ")) failed (status \(status))")
    }
    return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
}
