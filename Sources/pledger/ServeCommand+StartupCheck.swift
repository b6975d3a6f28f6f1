import Foundation
import PledgerApp

extension ServeCommand {
    /// Runs SQLite's `quick_check` before serving and refuses a damaged ledger (exit 1), so a file
    /// with broken pages or indexes is not served with `/healthz` saying ok.
    func refuseDamaged(_ app: Pledger) throws {
        let started = Date()
        let problems = app.operations.quickCheck()
        guard problems.isEmpty else {
            try? app.close()
            throw CommandFailure(
                message:
                    "refusing to serve \(app.ledgerPath): \(problems[0])\(problems.count > 1 ? " (and \(problems.count - 1) more)" : ""); run pledger verify for details, restore a backup, or pass --skip-startup-check",
                status: 1)
        }
        let elapsed = Date().timeIntervalSince(started)
        if elapsed >= 1 {
            FileHandle.standardError.write(
                Data("pledger: startup check of \(app.ledgerPath) took \(String(format: "%.1f", elapsed)) s\n".utf8))
        }
    }
}
