import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

/// Options every command that touches the ledger takes.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger file.", discussion: "Default: $PLEDGER_DB, else ./pledger.sqlite.", valueName: "path"))
    var db: String?

    var path: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["PLEDGER_DB"], !env.isEmpty { return env }
        return "pledger.sqlite"
    }

    /// Opens (creating and migrating) the ledger with the environment's policies.
    func open(durability: LedgerDurability = .full) throws -> Pledger {
        try Pledger.open(path: path, durability: durability, config: try PledgerConfig.fromEnvironment())
    }
}
