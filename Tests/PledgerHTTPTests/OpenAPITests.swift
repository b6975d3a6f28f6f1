import Foundation
import Hummingbird
import Logging
import PledgerApp
import PledgerHTTP
import PledgerTestSupport
import Testing

@Suite("OpenAPI description")
struct OpenAPITests {
    /// `(METHOD, path)` of every operation under `paths:` in docs/openapi.yaml.
    static func documentedRoutes(_ yaml: String) -> Set<String> {
        var routes: Set<String> = []
        var path: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            if inPaths, let first = line.first, first != " " { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete", "options"].contains(String(key)) {
                    routes.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return routes
    }

    @Test("Every route is described and every described route exists")
    func routesMatch() async throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let router = buildRouter(app: ledger.app, settings: ServerSettings(logger: Logger(label: "test")))
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = Self.documentedRoutes(OpenAPIDocument.yaml)
        #expect(served.count >= 13)
        #expect(
            documented == served,
            "only served: \(served.subtracting(documented)); only documented: \(documented.subtracting(served))")
    }

    @Test("The served document is docs/openapi.yaml, byte for byte")
    func embeddedMatchesFile() throws {
        let file = try String(
            contentsOf: fixturesDirectory().deletingLastPathComponent().appending(path: "docs/openapi.yaml"),
            encoding: .utf8)
        #expect(OpenAPIDocument.yaml + "\n" == file || OpenAPIDocument.yaml == file)
    }
}
