import ArgumentParser
import Foundation
import Logging
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerRender

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every ledger invariant; exit 0 when they hold, 1 naming the first breach.",
        discussion:
            "Checks SQLite integrity, the append-only triggers, that every transaction balances per currency, and that no payment was given back beyond its amount."
    )
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let result = try await ledger.openExisting().operations.verify()
        switch output.format {
        case .json:
            struct View: Encodable {
                let ok: Bool
                let transactionsChecked: Int
                let paymentsWithReversalsChecked: Int
                let breaches: [String]
            }
            printOut(
                Views.json(
                    View(
                        ok: result.holds, transactionsChecked: result.transactionsChecked,
                        paymentsWithReversalsChecked: result.paymentsWithReversalsChecked, breaches: result.breaches)))
        case .text:
            if result.holds {
                let transactions =
                    result.transactionsChecked == 1
                    ? "1 transaction balances" : "\(result.transactionsChecked) transactions balance"
                let payments =
                    result.paymentsWithReversalsChecked == 1
                    ? "1 refunded payment" : "\(result.paymentsWithReversalsChecked) refunded payments"
                printOut(
                    "Ledger OK: \(transactions); \(payments) within their amounts; append-only triggers, hash chain, payment rows and MRR checkpoints checked.\n"
                )
            }
        }
        if let first = result.breaches.first {
            throw CommandFailure(
                message: "ledger breach: \(first)"
                    + (result.breaches.count > 1 ? " (and \(result.breaches.count - 1) more)" : ""), status: 1)
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the ledger to a new file through SQLite's online backup (safe while the service writes).",
        discussion: "The copy is checked with verify; exit 1 if it does not hold."
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The new file to write.") var to: String

    func run() async throws {
        let check = try await ledger.openExisting().operations.backup(to: to)
        guard check.holds else {
            throw CommandFailure(message: "backup written but it fails verify: \(check.breaches[0])", status: 1)
        }
        printOut("Backed up \(ledger.path) to \(to): \(check.transactionsChecked) transactions, verified.\n")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the ledger with a backup, after checking the backup with verify.",
        discussion: "Refuses to overwrite an existing ledger without --force; stop `pledger serve` first."
    )
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The backup file.") var from: String
    @Flag(help: "Overwrite an existing ledger.") var force = false

    func run() async throws {
        let check = try await Operations.restore(from: from, to: ledger.path, force: force)
        printOut("Restored \(ledger.path) from \(from): \(check.transactionsChecked) transactions, verified.\n")
    }
}

struct SupporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supporter",
        abstract: "Supporters: their own links, and erasing their personal data.",
        subcommands: [Link.self, RevokeLinks.self, Erase.self]
    )

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a supporter's link to their own page (no account needed) and announce it for the mailer.",
            discussion: """
                Example: pledger supporter link --email reader@example.org --ttl 7d
                Prints the link; the event supporter.link_requested carries it to the endpoints too. Links point \
                at $PLEDGER_PUBLIC_URL (or the box's public_url) and are signed with $PLEDGER_LINK_SECRET (or a \
                key kept in the ledger). `supporter revoke-links` stops every link given out so far.
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The supporter's e-mail address.") var email: String
        @Option(help: "How long the link works: hours (48h) or days (7d), from 1h to 30d (default 7d).")
        var ttl: String?

        func run() async throws {
            guard let link = try await ledger.open().supporters.requestLink(email: email, ttl: ttl) else {
                throw PledgerError.supporterNotFound(email: "\(email)")
            }
            printOut("\(link.url)\nFor \(link.supporterID), until \(Timestamp.format(link.expiresAt)).\n")
        }
    }

    struct RevokeLinks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-links", abstract: "Stop every link given out to a supporter so far.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The supporter's e-mail address.") var email: String

        func run() async throws {
            let id = try await ledger.open().supporters.revokeLinks(email: email)
            printOut("Revoked every link of \(id).\n")
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a supporter's personal data on request; money records and reports are kept.",
            discussion: "The e-mail and external ref are replaced by a tombstone; the e-mail can no longer be found."
        )
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The supporter's e-mail address.") var email: String

        func run() async throws {
            let erased = try await ledger.open().operations.erase(email: email)
            printOut("Erased supporter \(erased.supporterID) (\(erased.pledges) pledges kept, anonymous).\n")
        }
    }
}

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
                Scopes: pledges:read, pledges:write, reminders:read, reminders:write, reports:read, webhooks:read, \
                endpoints:write \
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
            let tokens = try await ledger.openExisting().operations.tokens()
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
