import Foundation
import Testing

/// Issue 12 on the command line: control characters, dates, missing and damaged ledgers.
extension CommandLineTests {
    @Test("Control characters in CLI text fields are refused naming the field; nothing is created")
    func controlCharactersRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let escape = try pledger(
            "pledge", "record", "--email", "a\u{1B}[31m@ex.org", "--amount", "5.00", "--currency", "USD",
            "--cadence", "monthly")
        #expect(escape.status == 2)
        #expect(escape.stderr.contains("email:") && escape.stderr.contains("U+001B"), "\(escape.stderr)")
        let campaign = try pledger("reminder", "schedule", "--email", "a@ex.org", "--campaign", "winter\ndrive")
        #expect(campaign.status == 2)
        #expect(campaign.stderr.contains("campaign:") && campaign.stderr.contains("U+000A"), "\(campaign.stderr)")
        let listed = try pledger("pledge", "list", "--format", "json")
        let pledges = try #require(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any])
        #expect(pledges.isEmpty)
    }

    @Test("--at before 2000 and a date without a time are refused, for pledges and payments alike")
    func datesRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        for at in ["0001-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "1969-12-31T23:59:59Z"] {
            let run = try pledger(
                "pledge", "record", "--email", "a@ex.org", "--amount", "5.00", "--currency", "USD", "--cadence",
                "monthly", "--at", at)
            #expect(run.status == 2, "\(at)")
            #expect(run.stderr.contains("2000-01-01"), "\(run.stderr)")
        }
        let bare = try pledger(
            "pledge", "record", "--email", "a@ex.org", "--amount", "5.00", "--currency", "USD", "--cadence",
            "monthly", "--at", "2026-11-01")
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("no time of day"), "\(bare.stderr)")
        let pledge = try pledger(
            "pledge", "record", "--email", "a@ex.org", "--amount", "5.00", "--currency", "USD", "--cadence",
            "monthly", "--at", "2026-10-01T00:00:00Z", "--format", "json")
        let id = try #require(try pledge.json()["id"] as? String)
        let payment = try pledger(
            "payment", "record", "--pledge", id, "--amount", "5.00", "--currency", "USD", "--external-id", "ch_1",
            "--at", "1969-12-31T23:59:59Z")
        #expect(payment.status == 2)
        #expect(payment.stderr.contains("2000-01-01"), "\(payment.stderr)")
    }

    @Test("A pledge above PLEDGER_MAX_AMOUNT is refused with exit 1 and a clear reason")
    func maximumAmount() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let huge = try pledger(
            "pledge", "record", "--email", "a@ex.org", "--amount", "92233720368547758.07", "--currency", "USD",
            "--cadence", "monthly")
        #expect(huge.status == 1)
        #expect(huge.stderr.contains("amount: must be at most 1000000.00 USD"), "\(huge.stderr)")
        let lowered = try pledger(
            "pledge", "record", "--email", "a@ex.org", "--amount", "600.00", "--currency", "USD", "--cadence",
            "monthly", environment: ["PLEDGER_MAX_AMOUNT": "500"])
        #expect(lowered.status == 1)
        #expect(lowered.stderr.contains("500.00 USD"), "\(lowered.stderr)")
    }

    @Test("Commands that only read refuse a path with no ledger (exit 1) and create nothing")
    func readOnlyCommandsRefuseMissingLedger() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appending(path: "nonexistent.sqlite").path
        let empty = directory.appending(path: "empty.sqlite").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        for path in [missing, empty] {
            for arguments in [
                ["verify"], ["report", "monthly", "--month", "2026-10"], ["export"], ["webhooks", "list"],
                ["token", "list"], ["pledge", "list"], ["reminder", "due"],
            ] {
                let run = try pledger(arguments: arguments + ["--db", path])
                #expect(run.status == 1, "\(arguments) on \(path): \(run.stderr)")
                #expect(run.stderr.contains("no ledger at \(path)"), "\(arguments): \(run.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect((try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int) == 0)
        // A writing command still creates the ledger.
        let created = try pledger("reminder", "schedule", "--email", "a@ex.org", "--db", missing)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try pledger("verify", "--db", missing).status == 0)
    }

    @Test("A damaged ledger: verify and serve exit 1 naming the damage in words, never the SQL")
    func damagedLedger() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = directory.appending(path: "ledger.sqlite").path
        let damaged = directory.appending(path: "damaged.sqlite").path
        for n in 1...20 {
            _ = try pledger(
                "pledge", "record", "--email", "r\(n)@ex.org", "--amount", "5.00", "--currency", "USD", "--cadence",
                "monthly", "--db", original)
        }
        // A backup is one self-contained file (no WAL); every page after the first is then zeroed.
        #expect(try pledger("backup", "--to", damaged, "--db", original).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        bytes.replaceSubrange(pageSize..<bytes.count, with: Data(count: bytes.count - pageSize))
        try bytes.write(to: URL(fileURLWithPath: damaged))

        for arguments in [["verify"], ["serve", "--port", "0"]] {
            let run = try pledger(arguments: arguments + ["--db", damaged])
            #expect(run.status == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("damaged"), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("SELECT") && !run.stderr.contains("CREATE"), "\(arguments): \(run.stderr)")
        }
    }
}
