import Foundation
import Testing

/// `pledger endpoint …`, `deliver` and `deliveries` as a person types them.
@Suite("pledger endpoint on the command line")
struct EndpointCommandLineTests {
    let cli: CommandLineTests

    init() throws {
        cli = try CommandLineTests()
    }

    @Test("Refused URLs exit 2 naming the field; nothing is added")
    func refused() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let insecure = try cli.pledger("endpoint", "add", "--url", "http://127.0.0.1:9/h", "--events", "*")
        #expect(insecure.status == 2)
        #expect(insecure.stderr.contains("url: must use https"))
        #expect(insecure.stderr.contains("--allow-insecure-endpoints"))
        let metadata = try cli.pledger("endpoint", "add", "--url", "https://169.254.169.254/", "--events", "*")
        #expect(metadata.status == 2)
        #expect(metadata.stderr.contains("url: points at 169.254.169.254"))
        let filter = try cli.pledger("endpoint", "add", "--url", "https://hooks.example.org/", "--events", "pledge.x")
        #expect(filter.status == 2)
        #expect(filter.stderr.contains("events:"))
        #expect(try cli.pledger("endpoint", "list").stdout == "No endpoints.\n")
    }

    @Test("Add prints the secret once; list, rotate, disable, enable, remove; deliveries and deliver")
    func lifecycle() throws {
        defer { try? FileManager.default.removeItem(at: cli.directory) }
        let added = try cli.pledger(
            "endpoint", "add", "--url", "https://hooks.example.org/p", "--events", "pledge.*,reminder.due",
            "--description", "Mailer", "--format", "json")
        #expect(added.status == 0, "\(added.stderr)")
        let object = try added.json()
        let id = try #require(object["id"] as? String)
        let secret = try #require(object["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        let listed = try cli.pledger("endpoint", "list")
        #expect(listed.stdout.contains(id))
        #expect(listed.stdout.contains("pledge.*,reminder.due"))
        #expect(!listed.stdout.contains(secret))
        let rotated = try cli.pledger("endpoint", "rotate-secret", id)
        #expect(rotated.stdout.contains("whsec_"))
        #expect(!rotated.stdout.contains(secret))
        #expect(try cli.pledger("endpoint", "disable", id).stdout.contains("disabled"))
        #expect(try cli.pledger("endpoint", "enable", id).stdout.contains("enabled"))
        // Nothing written since the endpoint was added: nothing to deliver, nothing listed.
        let delivered = try cli.pledger("deliver", "--once")
        #expect(delivered.status == 0, "\(delivered.stderr)")
        #expect(delivered.stdout == "Delivered 0, retrying 0, failed 0\n")
        #expect(try cli.pledger("deliveries", "list").stdout == "No deliveries.\n")
        let missing = try cli.pledger("deliveries", "retry", "dlv_nothing")
        #expect(missing.status == 1)
        #expect(try cli.pledger("deliveries", "retry").status == 2)
        #expect(try cli.pledger("deliver").status == 2)
        #expect(try cli.pledger("endpoint", "remove", id).stdout.contains("removed"))
        #expect(try cli.pledger("endpoint", "list").stdout == "No endpoints.\n")
        #expect(try cli.pledger("endpoint", "remove", id).status == 1)
    }
}
