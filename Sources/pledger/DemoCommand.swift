import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerRender

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a ledger with months of made-up history and print last month's report.",
        discussion: """
            The first thing to run: it writes a few hundred supporters (--supporters, --months, --seed) with one-off, monthly and annual \
            pledges, fees, upgrades, pauses, refunds, cancellations and reminders into the ledger (--db, $PLEDGER_DB \
            or ./pledger.sqlite), then prints the last complete month's report. An existing ledger is never \
            overwritten unless you pass --replace.
            """
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "How many made-up supporters.") var supporters: Int = 300
    @Option(help: "How many months of history, ending now.") var months: Int = 12
    @Option(help: "The seed: the same seed gives the same history.") var seed: UInt64 = 2026
    @Flag(help: "Delete an existing ledger at the path first.") var replace = false
    @Option(help: "Report format: table, json or csv.") var format: ReportFormat = .table

    func validate() throws {
        guard (1...2_000_000).contains(supporters) else {
            throw ValidationError("--supporters must be from 1 to 2000000")
        }
        guard (1...120).contains(months) else { throw ValidationError("--months must be from 1 to 120") }
    }

    func run() async throws {
        let path = ledger.path
        let files = [path, path + "-wal", path + "-shm"]
        if FileManager.default.fileExists(atPath: path) {
            guard replace else {
                throw CommandFailure(
                    message:
                        "\(path) already exists; pass --replace to overwrite it with demo data, or --db another path",
                    status: 1)
            }
            for file in files where FileManager.default.fileExists(atPath: file) {
                try FileManager.default.removeItem(atPath: file)
            }
        }
        // A scratch ledger: thousands of commits need not each wait for the disk.
        let app = try ledger.open(durability: .scratch)
        let started = ContinuousClock.now
        let summary = try await BulkDemo(supporters: supporters, months: months, seed: seed).generate(
            into: app, now: app.clock.now)
        let took = ContinuousClock.now - started
        FileHandle.standardError.write(
            Data(
                """
                Demo ledger written to \(path): \(summary.supporters) supporters, \(summary.pledges) pledges, \
                \(summary.payments) payments, \(summary.refunds) refunds, \(summary.chargebacks) chargebacks, \(summary.failures) failed renewals, \
                \(summary.cancellations) cancellations, \(summary.pauses) pauses, \
                \(summary.reminders) readers who asked for a reminder (\(months) months, seed \(seed), \(String(format: "%.1f", Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)) s).
                Try: pledger report monthly --month \(ReportMonth.lastComplete(at: app.clock.now, in: .gmt).previous) · pledger pledge list --status active · pledger reminder due · pledger verify

                """.utf8))
        printOut(try await app.reports.monthly().rendered(as: format))
    }
}
