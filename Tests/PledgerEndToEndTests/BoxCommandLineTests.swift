import Foundation
import Testing

/// `pledger box key …` and `serve --box` as a publisher types them.
@Suite("pledger box on the command line")
struct BoxCommandLineTests {
    let cli: CommandLineTests

    init() throws {
        cli = try CommandLineTests()
    }

    @Test("Create prints the key first and the snippet; list shows it; revoke marks it; bad origins exit 2")
    func keys() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let created = try cli.pledger(
            "box", "key", "create", "--origin", "https://www.example.org", "--origin", "https://Example.org:443",
            "--label", "main site")
        #expect(created.status == 0, "\(created.stderr)")
        let key = try #require(created.stdout.split(separator: "\n").first.map(String.init))
        #expect(key.hasPrefix("pk_"))
        #expect(created.stdout.contains(#"data-key="\#(key)""#))
        let listed = try cli.pledger("box", "key", "list", "--format", "json")
        let keys = try #require(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(keys.first?["key"] as? String == key)
        #expect(keys.first?["origins"] as? [String] == ["https://www.example.org", "https://example.org"])
        #expect(try cli.pledger("box", "key", "revoke", key).status == 0)
        #expect(try cli.pledger("box", "key", "list").stdout.contains("\(key)  revoked"))
        let again = try cli.pledger("box", "key", "revoke", key)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already revoked"))

        for bad in ["https://www.example.org/news", "www.example.org", "null"] {
            let refused = try cli.pledger("box", "key", "create", "--origin", bad)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("origin:"), "\(refused.stderr)")
        }
        let none = try cli.pledger("box", "key", "create")
        #expect(none.status == 2)
        #expect(none.stderr.contains("at least one origin"))
    }

    @Test("serve refuses a wrong box file at start, naming the key and the reason")
    func wrongConfiguration() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let source = fixturesDirectory().appending(path: "box/box.toml")
        let text = try String(contentsOf: source, encoding: .utf8)
        let file = cli.directory.appending(path: "box.toml")
        try text.replacingOccurrences(of: "EUR = [500, 1000, 2000]", with: "EUR = [100]")
            .write(to: file, atomically: true, encoding: .utf8)
        let run = try cli.pledger("serve", "--port", "0", "--box", file.path)
        #expect(run.status == 1 || run.status == 2)
        #expect(run.stderr.contains("presets.monthly.EUR"), "\(run.stderr)")
        #expect(run.stderr.contains("at least 2.00 EUR"), "\(run.stderr)")
        let missing = try cli.pledger("serve", "--port", "0", "--box", cli.directory.appending(path: "nope.toml").path)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read"), "\(missing.stderr)")
    }
}

/// The repository's Fixtures/ folder, from this file's place in it.
private func fixturesDirectory(file: StaticString = #filePath) -> URL {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures")
}
