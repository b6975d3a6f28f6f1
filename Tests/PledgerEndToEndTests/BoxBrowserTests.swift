import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The reader's box in a real browser (issue 14): headless Chromium, driven by Selenium from
/// `scripts/box-browser.py`, against the built `pledger serve --box` on loopback. The article
/// pages, the processor's checkout page and the events receiver are the script's, on a second
/// port; this test sets the server up and then reads the ledger to check what the reader did.
@Suite("The reader's box in a browser")
struct BoxBrowserTests {
    /// chromium, chromedriver and a python3 that imports selenium: then the browser test runs.
    static let tools: (python: URL, chromium: URL, chromedriver: URL)? = {
        guard let python = executable("python3"),
            let chromium = executable("chromium") ?? executable("chromium-browser"),
            let chromedriver = executable("chromedriver")
        else { return nil }
        let probe = Process()
        probe.executableURL = python
        probe.arguments = ["-c", "import selenium"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? (python, chromium, chromedriver) : nil
    }()

    static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/lib/chromium"])
            .map { URL(fileURLWithPath: $0).appending(path: name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The repository's root, found from this file (as the README tests do).
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appending(path: "Package.swift").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    /// A port free on 127.0.0.1 now. The box's configuration must name the server's address and the
    /// checkout page's before either listens, so both ports are chosen first.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `Fixtures/box/box.toml`, the documented example, pointed at this test's two ports, with the
    /// per-IP limit raised: every request of the walk comes from the same 127.0.0.1.
    static func boxConfiguration(server: Int, site: Int) throws -> String {
        let example = try String(contentsOf: root.appending(path: "Fixtures/box/box.toml"), encoding: .utf8)
        let replacements = [
            "public_url": #""http://127.0.0.1:\#(server)""#,
            "checkout_url": #""http://localhost:\#(site)/checkout?client_reference_id={pledge_id}&amount={amount}""#,
            "per_ip_burst": "1000",
            "per_ip_refill_seconds": "1",
        ]
        var seen = Set<String>()
        let lines = example.components(separatedBy: "\n").map { line in
            for (key, value) in replacements where line.hasPrefix(key + " =") {
                seen.insert(key)
                return "\(key) = \(value)"
            }
            return line
        }
        #expect(seen == Set(replacements.keys), "Fixtures/box/box.toml lost a key the test sets")
        return lines.joined(separator: "\n")
    }

    /// `pledger serve --box …` on a chosen port, read until its start line says it listens.
    final class BoxServer {
        let process = Process()
        let output = Pipe()
        let log: URL
        private(set) var firstLine = ""

        init(directory: URL, port: Int, box: URL?, environment: [String: String] = [:]) throws {
            process.executableURL = CommandLineTests.binary
            process.arguments =
                [
                    "serve", "--port", "\(port)", "--db", directory.appending(path: "ledger.sqlite").path,
                    "--allow-insecure-endpoints", "--allow-private-endpoints",
                ] + (box.map { ["--box", $0.path] } ?? [])
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLEDGER_") }
                .merging(environment) { _, new in new }
            process.standardOutput = output
            log = directory.appending(path: "serve.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            var buffer = Data()
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                buffer.append(chunk)
            }
            firstLine = String(decoding: buffer, as: UTF8.self).components(separatedBy: "\n")[0]
        }

        func terminate() -> Int32 {
            if process.isRunning { process.terminate() }
            _ = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Runs the browser script to its end, stopping it after two minutes; stderr goes to a file so
    /// that neither pipe can fill while the other is read.
    static func walk(
        tools: (python: URL, chromium: URL, chromedriver: URL), directory: URL, script: String = "box-browser.py",
        arguments: [String]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = tools.python
        process.arguments = [root.appending(path: "scripts/\(script)").path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging([
            "CHROMIUM": tools.chromium.path, "CHROMEDRIVER": tools.chromedriver.path, "PYTHONUNBUFFERED": "1",
        ]) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        let errors = directory.appending(path: "box-browser.log")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr)
    }

    @Test(
        "A reader pledges by mouse and by keyboard, is refused under the minimum, confirms a reminder; a foreign origin is refused",
        .enabled(
            if: tools != nil,
            "needs chromium, chromedriver and python3 with selenium (apt-get install chromium chromium-driver; pip install selenium); .ci/run installs them"
        ),
        .timeLimit(.minutes(3))
    )
    func readerWalksTheBox() async throws {
        let tools = try #require(Self.tools)
        let serve = try ServeTests()
        defer { try? FileManager.default.removeItem(at: serve.directory) }
        let serverPort = try Self.freePort()
        let sitePort = try Self.freePort()
        let box = serve.directory.appending(path: "box.toml")
        try Self.boxConfiguration(server: serverPort, site: sitePort).write(to: box, atomically: true, encoding: .utf8)

        // Given a key for the article's origin, localhost and not 127.0.0.1 (`box key create` prints the
        // key first, then how to paste it), and an endpoint for reminder events,
        let created = try serve.cli("box", "key", "create", "--origin", "http://localhost:\(sitePort)")
        let key = created.split(separator: "\n").first.map(String.init) ?? ""
        #expect(key.hasPrefix("pk_"), "box key create printed \(created)")
        _ = try serve.cli(
            "endpoint", "add", "--url", "http://127.0.0.1:\(sitePort)/hooks", "--events", "reminder.*",
            "--allow-insecure-endpoints", "--allow-private-endpoints")
        let server = try BoxServer(directory: serve.directory, port: serverPort, box: box)
        defer { _ = server.terminate() }
        try #require(
            server.process.isRunning && server.firstLine.contains("127.0.0.1:\(serverPort)"),
            "serve did not start: \(server.firstLine)\n\((try? String(contentsOf: server.log, encoding: .utf8)) ?? "")")

        // When a reader walks the box in Chromium,
        let run = try Self.walk(
            tools: tools, directory: serve.directory,
            arguments: ["--pledger", "http://127.0.0.1:\(serverPort)", "--key", key, "--port", "\(sitePort)"])
        let serverLog = (try? String(contentsOf: server.log, encoding: .utf8)) ?? ""
        try #require(run.status == 0, "\(run.stderr)\nserver log:\n\(serverLog.suffix(3000))")

        // then every pledge the browser reached the checkout with is in the ledger, pending, with its page,
        let lastLine = try #require(run.stdout.split(separator: "\n").last)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        let pledges = try #require(result["pledges"] as? [[String: Any]])
        #expect(pledges.count == 3)
        for pledge in pledges {
            let id = try #require(pledge["id"] as? String)
            let shown = try #require(
                try JSONSerialization.jsonObject(with: Data(serve.cli("pledge", "show", id, "--format", "json").utf8))
                    as? [String: Any], "pledge \(id) is in the ledger")
            #expect(shown["status"] as? String == "pending")
            #expect(shown["cadence"] as? String == pledge["cadence"] as? String)
            #expect(shown["amount"] as? Int == pledge["amount"] as? Int)
            #expect(shown["currency"] as? String == "USD")
            #expect(shown["source"] as? String == "box")
            let page = try #require(pledge["page"] as? String)
            let path = Self.pagePath(of: shown)
            #expect(path == page, "pledge \(id): \(shown)")
        }
        // and nothing else: the refused $1 and the foreign origin wrote no pledge;
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(serve.cli("pledge", "list", "--format", "json").utf8))
                as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(pledges.compactMap { $0["id"] as? String }))

        // the reminder confirmed through the delivered link is open.
        let email = try #require(result["reminder_email"] as? String)
        let reminders = try #require(
            try JSONSerialization.jsonObject(
                with: Data(serve.cli("reminder", "list", "--email", email, "--format", "json").utf8))
                as? [[String: Any]])
        #expect(reminders.count == 1)
        #expect(reminders.first?["status"] as? String == "open")
        #expect(reminders.first?["campaign"] as? String == "winter")
        #expect(server.terminate() == 0)
    }

    /// The page path a pledge keeps from the box, as `pledger pledge show` shows it.
    static func pagePath(of pledge: [String: Any]) -> String? {
        (pledge["attribution"] as? [String: Any])?["page_path"] as? String
    }
}
