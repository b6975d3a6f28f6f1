import ArgumentParser
import Foundation
import Logging
import PledgerApp
import PledgerCore
import PledgerHTTP

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once; only its SHA-256 is stored.",
            discussion: """
                Example: pledger token create --name site --scope pledges:write,reminders:write,reports:read
                Scopes: pledges:read, pledges:write, reminders:read, reminders:write, reports:read, webhooks:read \
                (a write scope includes reading the same things).
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "A name for the token (who uses it), e.g. site.") var name: String
        @Option(help: "Comma-separated scopes.") var scope: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let scopes = try APIScope.parseList(scope)
            let (token, record) = try await ledger.open().operations.createToken(name: name, scopes: scopes)
            switch output.format {
            case .json:
                struct View: Encodable {
                    let token: String
                    let name: String
                    let scopes: [String]
                }
                printOut(
                    Views.json(View(token: token, name: record.name, scopes: record.scopes.sorted().map(\.rawValue))))
            case .text:
                printOut("\(token)\n")
                FileHandle.standardError.write(
                    Data(
                        "Token \(record.name) created with \(record.scopes.sorted().map(\.rawValue).joined(separator: ", ")). It is shown only this once.\n"
                            .utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (names and scopes; never the tokens).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tokens = try await ledger.open().operations.tokens()
            switch output.format {
            case .json:
                struct View: Encodable {
                    let name: String
                    let scopes: [String]
                    let createdAt: String
                    let revokedAt: String?
                }
                printOut(
                    Views.json(
                        tokens.map {
                            View(
                                name: $0.name, scopes: $0.scopes.sorted().map(\.rawValue),
                                createdAt: Timestamp.format($0.createdAt),
                                revokedAt: $0.revokedAt.map(Timestamp.format))
                        }))
            case .text:
                if tokens.isEmpty {
                    printOut("No tokens. Create one with: pledger token create --name site --scope pledges:write\n")
                    return
                }
                printOut(
                    textTable(
                        header: ["NAME", "SCOPES", "CREATED", "REVOKED"],
                        rows: tokens.map {
                            [
                                $0.name, $0.scopes.sorted().map(\.rawValue).joined(separator: ","),
                                Timestamp.format($0.createdAt),
                                $0.revokedAt.map(Timestamp.format) ?? "-",
                            ]
                        }))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token; requests carrying it get 401 from now on.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            let token = try await ledger.open().operations.revokeToken(name: name)
            printOut("Revoked token \(token.name)\n")
        }
    }
}
