import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

/// `pledger box key create|list|revoke`: the publishable keys the reader's box carries in pages.
struct BoxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "box",
        abstract: "The reader's box: its publishable keys (see docs/box.md).",
        subcommands: [KeyCommand.self]
    )

    struct KeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key",
            abstract: "Create, list and revoke the box's publishable keys (pk_…).",
            subcommands: [Create.self, List.self, Revoke.self],
            aliases: ["keys"]
        )
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a publishable key bound to the sites that may show the box.",
            discussion: """
                Example: pledger box key create --origin https://www.example.org --origin https://example.org
                The key is public: it goes into the page (data-key="pk_…"). It lets pages on those origins use \
                the box's routes and nothing else; an origin is scheme, host and port, without a path.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "An origin allowed to show the box, such as https://www.example.org; repeat for more.")
        var origin: [String] = []
        @Option(help: "A note for people: which site or campaign uses it.") var label: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let app = try ledger.open()
            let key = try await app.box.createKey(origins: origin, label: label)
            switch output.format {
            case .json: printOut(Views.json(Views.publishableKey(key)))
            case .text:
                printOut(
                    "\(key.key)\nCreated for \(key.origins.map(\.description).joined(separator: ", ")). Paste into pages:\n"
                        + "  <div data-pledger-box data-campaign=\"default\"></div>\n"
                        + "  <script src=\"https://YOUR-PLEDGER/box.js\" data-key=\"\(key.key)\" async></script>\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the publishable keys, revoked ones marked.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let app = try ledger.openExisting()
            let keys = try await app.box.keys()
            switch output.format {
            case .json: printOut(Views.json(keys.map(Views.publishableKey)))
            case .text:
                if keys.isEmpty { return printOut("No publishable keys; create one with pledger box key create.\n") }
                for key in keys {
                    let state = key.revokedAt.map { "revoked \(Timestamp.format($0))" } ?? "live"
                    printOut(
                        "\(key.key)  \(state)  \(key.origins.map(\.description).joined(separator: " "))"
                            + (key.label.map { "  (\($0))" } ?? "") + "\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a publishable key: boxes carrying it stop working at once.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The key, pk_…") var key: String

        func run() async throws {
            let app = try ledger.openExisting()
            try await app.box.revokeKey(key)
            printOut("Revoked \(key)\n")
        }
    }
}
