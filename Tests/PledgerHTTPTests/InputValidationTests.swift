import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgerApp
import PledgerCore
import PledgerHTTP
import PledgerStore
import PledgerTestSupport
import Testing

/// Issue 12: text fields, e-mail addresses, amounts, dates and JSON numbers refused at the API with a
/// 422 naming the field, and nothing stored.
@Suite("Input validation at the API")
struct InputValidationTests {
    /// Posts `body` to `uri` and expects a 422 naming `field`, with no row added anywhere.
    func expectRefused(
        _ uri: String, _ body: String, field: String, code: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let service = try await TestService()
        let before = try await service.ledger.store.read { try $0.rowCounts() }
        try await service.application.test(.router) { client in
            let response = try await client.execute(
                uri: uri, method: .post, headers: service.headers(service.writer), body: json(body))
            #expect(response.status == .unprocessableContent, "\(response.text)", sourceLocation: sourceLocation)
            let error = try #require(try response.object()["error"] as? [String: Any], sourceLocation: sourceLocation)
            #expect(error["field"] as? String == field, "\(response.text)", sourceLocation: sourceLocation)
            if let code { #expect(error["code"] as? String == code, sourceLocation: sourceLocation) }
        }
        let after = try await service.ledger.store.read { try $0.rowCounts() }
        #expect(before == after, sourceLocation: sourceLocation)
    }

    @Test("A NUL (or any control character) in a pledge's text fields is a 422 naming the field")
    func controlCharactersInPledges() async throws {
        for (field, value) in [
            ("email", #"nul\u0000x@ex.org"#), ("email", #"a@ex.org\n"#), ("external_ref", #"acct\u001f1"#),
            ("source", #"footer\u007f"#), ("source", #"\u0000"#),
        ] {
            var fields = [
                "email": #""a@ex.org""#, "amount": "500", "currency": #""USD""#, "cadence": #""monthly""#,
            ]
            fields[field] = "\"\(value)\""
            let body = "{" + fields.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
            try await expectRefused("/v1/pledges", body, field: field, code: "control_character")
        }
    }

    @Test("A NUL in a reminder's e-mail or campaign is a 422 naming the field")
    func controlCharactersInReminders() async throws {
        try await expectRefused(
            "/v1/reminders", #"{"email": "nul\u0000x@ex.org"}"#, field: "email", code: "control_character")
        try await expectRefused(
            "/v1/reminders", #"{"email": "a@ex.org", "campaign": "winter\u0000drive"}"#, field: "campaign",
            code: "control_character")
    }

    @Test("An address that is not WHATWG-valid is refused")
    func whatwgEmail() async throws {
        try await expectRefused(
            "/v1/pledges", #"{"email": "<script>@x.org", "amount": 500, "currency": "USD", "cadence": "monthly"}"#,
            field: "email")
    }

    // MARK: JSON numbers and keys

    @Test("Amounts must be JSON integers: 500.0, 5e2 and 5E+2 are refused on amount")
    func amountsAreIntegers() async throws {
        for amount in ["500.0", "5e2", "5E+2", "50000e-2"] {
            try await expectRefused(
                "/v1/pledges", #"{"email": "a@ex.org", "amount": \#(amount), "currency": "USD", "cadence": "monthly"}"#,
                field: "amount")
        }
        try await expectRefused("/v1/reminders", #"{"email": "a@ex.org", "delay_days": 3.0}"#, field: "delay_days")
    }

    @Test("A key given twice is refused, naming it, not first-wins")
    func duplicateKeys() async throws {
        try await expectRefused(
            "/v1/pledges",
            #"{"email": "a@ex.org", "amount": 500, "amount": 99999, "currency": "USD", "cadence": "monthly"}"#,
            field: "amount", code: "duplicate_field")
    }

    @Test("A number with a huge exponent in a text field is a 422 on that field")
    func hugeExponentInTextField() async throws {
        try await expectRefused(
            "/v1/pledges", #"{"email": 1e400, "amount": 500, "currency": "USD", "cadence": "monthly"}"#, field: "email")
        try await expectRefused("/v1/reminders", #"{"email": "a@ex.org", "campaign": -1E+99999}"#, field: "campaign")
    }
}
