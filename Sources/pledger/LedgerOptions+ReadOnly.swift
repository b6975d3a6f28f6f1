import Foundation
import PledgerApp

extension LedgerOptions {
    /// Opens the ledger for a command that only reads (verify, report, export, listings). A path
    /// with no ledger is refused with exit 1: only writing commands create a ledger, so a mistyped
    /// `--db` cannot "verify" a ledger it has just created empty.
    func openExisting() throws -> Pledger {
        guard Pledger.ledgerExists(at: path) else {
            throw CommandFailure(
                message:
                    "no ledger at \(path): the file does not exist or is empty; commands that only read never create one (check --db or $PLEDGER_DB)",
                status: 1)
        }
        return try open()
    }
}
