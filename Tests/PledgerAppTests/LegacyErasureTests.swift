import Foundation
import PledgerApp
import PledgerCore
import PledgerStore
import PledgerTestSupport
import Testing

/// Erasure on request still finds addresses stored before the WHATWG rule and the NUL fix.
@Suite("Erasing legacy addresses")
struct LegacyErasureTests {
    @Test("A supporter stored as \"<script>@x.org\" or cut to \"nul\" can still be erased")
    func legacyAddressesErased() async throws {
        let now = instant("2026-11-20T12:00:00Z")
        let ledger = try TemporaryLedger(now: now)
        try await ledger.store.write { session in
            try session.insertSupporter(id: "sp_legacy1", email: "<script>@x.org", externalRef: nil, at: now)
            try session.insertSupporter(id: "sp_legacy2", email: "nul", externalRef: nil, at: now)
        }
        #expect(try await ledger.app.operations.erase(email: "<script>@x.org").supporterID == "sp_legacy1")
        #expect(try await ledger.app.operations.erase(email: " NUL ").supporterID == "sp_legacy2")
        await #expect(throws: PledgerError.self) { try await ledger.app.operations.erase(email: "nul\u{0}x@ex.org") }
    }
}
