import Testing

@testable import PledgerCore

@Suite("Exchange rates for converted report totals")
struct ExchangeRatesTests {
    let october = ReportMonth(year: 2026, month: 10)

    func rates(_ text: String, target: Currency = .eur) throws -> ExchangeRates {
        try ExchangeRates.parse(text, target: target, source: "rates.csv")
    }

    @Test("The latest rate dated within the month is used")
    func latestInMonth() throws {
        let file = try rates(
            """
            # closing rates
            date,currency,rate
            2026-09-30,USD,0.9100
            2026-10-15,USD,0.9300
            2026-10-30,USD,0.9215
            2026-11-02,USD,0.9500

            2026-10-30,JPY,0.0061
            """)
        let usd = try #require(try file.rate(for: .usd, in: october))
        #expect(usd.date == "2026-10-30")
        #expect(usd.text == "0.9215")
        #expect(try file.rate(for: .eur, in: october) == nil)  // the target needs no rate
        // 123.45 USD × 0.9215 = 113.759175 → 113.76 EUR.
        #expect(try usd.convert(12345) == 11376)
        // 1,000 JPY (no minor unit) × 0.0061 = 6.10 EUR.
        #expect(try file.rate(for: .jpy, in: october)?.convert(1000) == 610)
    }

    @Test("Conversion rounds half to even and keeps the sign")
    func rounding() throws {
        let file = try rates("date,currency,rate\n2026-10-31,USD,0.5\n2026-10-31,KWD,3\n")
        let usd = try #require(try file.rate(for: .usd, in: october))
        #expect(try usd.convert(1) == 0)  // 0.005 → 0.00 (even)
        #expect(try usd.convert(3) == 2)  // 0.015 → 0.02 (even)
        #expect(try usd.convert(-3) == -2)  // a negative net converts symmetrically
        // 1.234 KWD (3 decimals) × 3 = 3.702 EUR → 3.70.
        #expect(try file.rate(for: .kwd, in: october)?.convert(1234) == 370)
        let huge = try rates("date,currency,rate\n2026-10-31,USD,1000000\n")
        #expect(throws: PledgerError.self) { try huge.rate(for: .usd, in: october)?.convert(.max) }
    }

    @Test("A missing rate names the currency and the date")
    func missing() throws {
        let file = try rates("date,currency,rate\n2026-09-30,USD,0.91\n")
        let error = try #require(thrown { () throws(PledgerError) in try file.rate(for: .usd, in: october) })
        #expect(error.field == "rates")
        #expect(error.code == "missing_rate")
        #expect(error.message.hasPrefix("no USD rate for 2026-10-31 in rates.csv"))
        #expect(
            thrown { () throws(PledgerError) in try file.rate(for: .gbp, in: october) }?.message.contains("GBP") == true
        )
    }

    @Test("Bad lines are refused with their line number")
    func badLines() {
        func message(_ text: String) -> String? {
            thrown { () throws(PledgerError) in try ExchangeRates.parse(text, target: .eur, source: "r.csv") }?
                .description
        }
        #expect(message("") == "rates: r.csv is empty; it needs the header date,currency,rate and one row per rate")
        #expect(
            message("day,code,value\n") == "rates: r.csv line 1: the first line must be the header date,currency,rate")
        #expect(
            message("date,currency,rate\n2026-10-31,USD\n")
                == "rates: r.csv line 2: expected 3 fields date,currency,rate, found 2")
        #expect(
            message("date,currency,rate\n2026-02-30,USD,1\n")
                == "rates: r.csv line 2: \"2026-02-30\" is not a date; use YYYY-MM-DD")
        #expect(
            message("date,currency,rate\n2026-10-31,usd,1\n")?.contains("line 2: \"usd\" must be upper case: use USD")
                == true)
        #expect(message("date,currency,rate\n2026-10-31,USD,0,92\n")?.contains("expected 3 fields") == true)
        #expect(
            message("date,currency,rate\n2026-10-31,USD,1e3\n")
                == "rates: r.csv line 2: \"1e3\" is not a rate; write a plain decimal such as 0.9215")
        #expect(message("date,currency,rate\n2026-10-31,USD,-1\n")?.contains("is not a rate") == true)
        #expect(
            message("date,currency,rate\n2026-10-31,USD,0\n") == "rates: r.csv line 2: a rate must be more than zero")
        #expect(
            message("date,currency,rate\n2026-10-31,USD,0.1234567890123\n")?.contains("more than 12 decimals") == true)
        #expect(
            message("date,currency,rate\n2026-10-31,USD,1\n2026-10-31,USD,2\n")
                == "rates: r.csv line 3: a second USD rate for 2026-10-31")
    }

    @Test("Converted totals add the currencies up and derive net and ARR from the converted parts")
    func convertedTotals() throws {
        var usd = MonthlyReport.CurrencyFigures.zero("USD")
        usd.receipts.gross = 10001  // × 0.5 = 50.005 → 50.00
        usd.receipts.fees = 301  // × 0.5 = 1.505 → 1.50 (even)
        usd.mrr.end = 999  // × 0.5 = 4.995 → 5.00 (even: 4.99|5.00 → 5.00)
        var eur = MonthlyReport.CurrencyFigures.zero("EUR")
        eur.receipts.gross = 1000
        eur.mrr.end = 100
        let file = try rates("date,currency,rate\n2026-10-31,USD,0.5\n")
        let totals = try ConvertedTotals.convert([eur, usd], month: october, rates: file)
        #expect(totals.currency == "EUR")
        #expect(totals.rates == [ConvertedTotals.Rate(currency: "USD", date: "2026-10-31", rate: "0.5")])
        #expect(totals.gross == 6000)  // 10.00 + 50.00
        #expect(totals.fees == 150)
        #expect(totals.net == 5850)  // 60.00 − 1.50, from the converted parts
        #expect(totals.mrr == 600)  // 1.00 + 5.00
        #expect(totals.arr == 7200)
    }
}
