import HTTPTypes
import Hummingbird
import Logging
import PledgerTestSupport
import Testing

@testable import PledgerHTTP

@Suite("Route table")
struct RouteTableTests {
    @Test("The route table that 405 answers read lists exactly the router's routes")
    func matchesRouter() throws {
        let ledger = try TemporaryLedger(now: instant("2026-11-20T00:00:00Z"))
        let router = buildRouter(app: ledger.app, settings: ServerSettings(logger: Logger(label: "test")))
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let table = Set((RouteTable.api + RouteTable.open).map { "\($0.0.rawValue) \($0.1)" })
        #expect(served == table)
    }

    @Test("Allowed methods match templates segment by segment")
    func allowed() {
        #expect(RouteTable.allowedMethods(for: "/v1/pledges").map(\.rawValue) == ["POST", "GET"])
        #expect(RouteTable.allowedMethods(for: "/v1/pledges/pl_1/cancel").map(\.rawValue) == ["POST"])
        #expect(RouteTable.allowedMethods(for: "/v1/nothing").isEmpty)
    }
}
