import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

/// The `pledger` command. Commands parse their input, call one use case, and render.
@main
struct PledgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pledger",
        abstract: "A donation and subscription ledger for reader-supported publishers.",
        discussion: """
            Every command works on one SQLite ledger: --db PATH, else $PLEDGER_DB, else ./pledger.sqlite. \
            It is created and migrated by the first command that writes; commands that only read refuse a path \
            with no ledger. Write commands take --at (ISO 8601, with a time and a zone) to enter history; \
            commands that print data take --format json.

            Policies come from the environment: PLEDGER_MIN_PLEDGE (e.g. USD=3.00,JPY=500; default 2 major \
            units, 1 for currencies without cents), PLEDGER_MAX_AMOUNT (default 1000000 major units), \
            PLEDGER_REMINDER_DELAY (default 7d) and \
            PLEDGER_REMINDER_MAX_DEFERRALS (default 3), PLEDGER_RENEWAL_NOTICE (default annual=7d,monthly=off)             and PLEDGER_PENDING_EXPIRY (default 48h).

            Exit status: 0 success, 1 refused by a rule or not found, 2 bad usage or invalid input.
            New here? Run `pledger demo` and read the report it prints.
            """,
        subcommands: [
            PledgeCommand.self, PaymentCommand.self, RefundCommand.self, ChargebackCommand.self,
            ReminderCommand.self, ReportCommand.self, ExportCommand.self, ImportCommand.self, VerifyCommand.self,
            WebhookCommand.self,
            ServeCommand.self, TokenCommand.self, BackupCommand.self, RestoreCommand.self, SupporterCommand.self,
            EventsCommand.self, JobsCommand.self, EndpointCommand.self, DeliverCommand.self, DeliveriesCommand.self,
            BoxCommand.self, StatementCommand.self, StatementsCommand.self, DemoCommand.self,
        ]
    )

    /// Runs the command and maps every failure to one line on stderr and an exit status:
    /// 2 for bad usage or invalid input, 1 for a refusal, 0 for help.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as PledgerError {
            FileHandle.standardError.write(Data("pledger: \(error.description)\n".utf8))
            Foundation.exit(error.kind == .invalid ? 2 : 1)
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("pledger: \(error.message)\n".utf8))
            Foundation.exit(error.status)
        } catch {
            if let message = StorageFailure.message(error) {
                FileHandle.standardError.write(Data("pledger: \(message)\n".utf8))
                Foundation.exit(1)
            }
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data("pledger: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// Parses an optional `--at` option.
func parseAt(_ text: String?, field: String = "at") throws -> Date? {
    try text.map { text throws(PledgerError) in try Timestamp.parse(text, field: field) }
}

func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
