import Foundation
import PledgerCore
import PledgerImport
import PledgerTestSupport
import Testing

/// Reading exports: the CSV dialects spreadsheets and CRMs write, and Stripe's values as Core's types.
@Suite("Import parsing")
struct ImportParsingTests {
    func table(_ text: String, delimiter: Character? = nil) throws -> CSVTable {
        try CSVTable(data: Data(text.utf8), file: "export.csv", delimiter: delimiter)
    }

    @Test("A BOM, CRLF, a ';' delimiter and quoted fields with delimiters, quotes and line breaks")
    func dialects() throws {
        let text =
            "\u{FEFF}Email;Name;Amount\r\n\"a@example.org\";\"Doe; Jane \"\"JD\"\"\";\"12.50\"\r\n"
            + "b@example.org;\"two\r\nlines\";3\r\n\r\nc@example.org;C;4\r\n"
        let csv = try table(text)
        #expect(csv.delimiter == ";")
        #expect(csv.header == ["Email", "Name", "Amount"])
        #expect(csv.records.count == 3)
        #expect(csv.records[0]["Email"] == "a@example.org")
        #expect(csv.records[0]["Name"] == "Doe; Jane \"JD\"")
        #expect(csv.records[1]["Name"] == "two\r\nlines")
        // Lines as an editor numbers them: the quoted line break and the blank line count.
        #expect(csv.records.map(\.source.line) == [2, 3, 6])
        #expect(csv.records[0]["Missing"] == nil)
    }

    @Test("Commas and tabs are guessed from the header; a comma inside quotes does not count")
    func guessing() throws {
        #expect(try table("\"a,b\";c\n1;2\n").delimiter == ";")
        #expect(try table("a\tb\n1\t2\n").delimiter == "\t")
        #expect(try table("a,b\n1,2\n").delimiter == ",")
        #expect(try table("a;b\n1;2\n", delimiter: ",").header == ["a;b"])
    }

    @Test("An empty file or one that is not UTF-8 is refused at line 1")
    func unreadable() {
        #expect(throws: ImportRefusal.self) { try table("") }
        #expect(throws: ImportRefusal.self) {
            try CSVTable(data: Data([0x61, 0xFF, 0xFE, 0x0A]), file: "x.csv")
        }
    }

    @Test("Lone CR breaks, no newline at the end, short rows, spaces around quoted fields, a quoted empty field")
    func edges() throws {
        let csv = try table("a,b,c\r1, \"x\" ,\"\"\r2\n3,\"q\"\"\"")
        #expect(csv.header == ["a", "b", "c"])
        #expect(csv.records.count == 3)
        #expect(csv.records[0]["b"] == "x" && csv.records[0]["c"] == "")
        #expect(csv.records[1]["a"] == "2" && csv.records[1]["b"] == "" && csv.records[1]["c"] == "")
        #expect(csv.records[2]["b"] == "q\"")
        #expect(csv.records.map(\.source.line) == [2, 3, 4])
    }

    @Test("Non-ASCII text, and a quote left undoubled inside an unquoted field refused with its line")
    func malformed() throws {
        let csv = try table("name;city\nJosé;\"Zürich\nOst\"\nАнна;Москва\n")
        #expect(csv.records.map { $0["name"] } == ["José", "Анна"])
        #expect(csv.records[0]["city"] == "Zürich\nOst")
        #expect(csv.records.map(\.source.line) == [2, 4])
        do {
            _ = try table("a,b\n1,2\n3,x\"y\n")
            Issue.record("an undoubled quote was read")
        } catch let refusal as ImportRefusal {
            #expect(refusal.line == 1)
            #expect(refusal.reason.contains("line 3"))
        }
    }

    @Test("Stripe's intervals, statuses and currencies")
    func stripeValues() throws {
        #expect(try StripeExport.cadence(interval: "month", count: nil) == .monthly)
        #expect(try StripeExport.cadence(interval: "year", count: "1") == .annual)
        #expect(throws: PledgerError.self) { try StripeExport.cadence(interval: "week", count: nil) }
        #expect(throws: PledgerError.self) { try StripeExport.cadence(interval: "month", count: "3") }
        #expect(try StripeExport.pledgeStatus("active") == .active)
        #expect(try StripeExport.pledgeStatus("past_due") == .pastDue)
        #expect(try StripeExport.pledgeStatus("unpaid") == .pastDue)
        #expect(try StripeExport.pledgeStatus("canceled") == .cancelled)
        #expect(try StripeExport.pledgeStatus("incomplete_expired") == .cancelled)
        #expect(try StripeExport.pledgeStatus("trialing") == .pending)
        #expect(throws: PledgerError.self) { try StripeExport.pledgeStatus("paused") }
        #expect(try StripeExport.currency("usd") == .usd)
        #expect(throws: PledgerError.self) { try StripeExport.currency("xyz") }
    }

    @Test("Export times: Stripe's UTC minutes and seconds, bare days, ISO 8601; nonsense refused")
    func times() throws {
        #expect(try ExportTime.parse("2025-03-05 14:07", field: "d") == instant("2025-03-05T14:07:00Z"))
        #expect(try ExportTime.parse("2025-03-05 14:07:09", field: "d") == instant("2025-03-05T14:07:09Z"))
        #expect(try ExportTime.parse("2025-03-05", field: "d") == instant("2025-03-05T00:00:00Z"))
        #expect(try ExportTime.parse("2025-03-05T14:07:00+01:00", field: "d") == instant("2025-03-05T13:07:00Z"))
        #expect(throws: PledgerError.self) { try ExportTime.parse("05/03/2025", field: "d") }
        #expect(throws: PledgerError.self) { try ExportTime.parse("2025-02-30 10:00", field: "d") }
    }

    @Test("A mapping's date format: day-first, with or without the time; a mismatch or an impossible day refused")
    func datePatterns() throws {
        #expect(
            try ExportTime.parse("05/03/2025", pattern: "dd/MM/yyyy", field: "d") == instant("2025-03-05T00:00:00Z"))
        #expect(
            try ExportTime.parse("05.03.2025 14:07", pattern: "dd.MM.yyyy HH:mm", field: "d")
                == instant("2025-03-05T14:07:00Z"))
        #expect(throws: PledgerError.self) { try ExportTime.parse("2025-03-05", pattern: "dd/MM/yyyy", field: "d") }
        #expect(throws: PledgerError.self) { try ExportTime.parse("5/3/2025", pattern: "dd/MM/yyyy", field: "d") }
        #expect(throws: PledgerError.self) { try ExportTime.parse("31/02/2025", pattern: "dd/MM/yyyy", field: "d") }
        #expect(throws: PledgerError.self) {
            try ExportTime.parse("05/03/2025 extra", pattern: "dd/MM/yyyy", field: "d")
        }
    }

    @Test("A Stripe payment row: money in minor units, keys as the webhooks use them")
    func stripePayment() throws {
        let csv = try table(
            "id,Created (UTC),Amount,Amount Refunded,Currency,Fee,Status,Customer ID,Invoice ID,PaymentIntent ID\n"
                + "ch_1,2025-01-05 10:02,19.99,4.00,usd,0.88,Partially Refunded,cus_1,in_1,pi_1\n"
                + "ch_2,2025-01-06 10:02,1000,0,jpy,0,Paid,cus_1,,\n")
        let read = try StripeExport.payments(csv)
        #expect(read.refused == [])
        let first = read.rows[0]
        #expect(first.amount == Money(minorUnits: 1999, currency: .usd))
        #expect(first.fee == Money(minorUnits: 88, currency: .usd))
        #expect(first.externalID == "pi_1")
        #expect(first.refundKey == "ch_1:refunded:400")
        #expect(first.succeeded)
        let second = read.rows[1]
        #expect(second.amount.minorUnits == 1000 && second.amount.currency.code == "JPY")
        #expect(second.externalID == "ch_2")  // no PaymentIntent: the charge id, as invoice.paid falls back
        #expect(second.fee == nil)
    }
}
