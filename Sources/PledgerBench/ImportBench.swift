import Foundation
import PledgerApp
import PledgerCore
import PledgerImport

/// The import figure: Stripe dashboard exports of `subscriptions` monthly subscriptions (one customer
/// each) and `payments` charges, written with the columns the importer reads, then imported into a
/// fresh durable ledger. Baseline: reading the same three files alone (the CSV reader and the row mapping).
enum ImportBench {
    struct Figures {
        let rows: Int
        let seconds: Double
        let parseSeconds: Double
        let created: Int
    }

    static func run(subscriptions: Int, payments: Int, directory: URL) async throws -> Figures {
        let files = try write(subscriptions: subscriptions, payments: payments, directory: directory)
        // Read once alone, and let go before the import reads them again: the import's memory is its own.
        let (rows, parseSeconds) = try { () throws -> (Int, Double) in
            let parseStart = Date()
            let customers = try StripeExport.customers(CSVTable(contentsOf: files.customers))
            let subs = try StripeExport.subscriptions(CSVTable(contentsOf: files.subscriptions))
            let charges = try StripeExport.payments(CSVTable(contentsOf: files.payments))
            precondition(customers.refused.isEmpty && subs.refused.isEmpty && charges.refused.isEmpty)
            return (customers.rows.count + subs.rows.count + charges.rows.count, Date().timeIntervalSince(parseStart))
        }()

        let app = try Pledger.open(path: directory.appending(path: "import.sqlite").path)
        let start = Date()
        let summary = try await app.imports.stripe(
            StripeImportRequest(
                customers: files.customers, subscriptions: files.subscriptions, payments: files.payments,
                batchSize: 20_000))
        let seconds = Date().timeIntervalSince(start)
        precondition(summary.refused == 0, "\(summary.refusals.prefix(3))")
        try app.close()
        return Figures(rows: rows, seconds: seconds, parseSeconds: parseSeconds, created: summary.created)
    }

    /// Writes customers.csv, subscriptions.csv and payments.csv: subscriptions start over 2023 and pay
    /// monthly; one in ten is cancelled after its last payment, one payment in twenty is partly refunded,
    /// one in five hundred disputed.
    static func write(subscriptions: Int, payments: Int, directory: URL) throws -> (
        customers: URL, subscriptions: URL, payments: URL
    ) {
        let perSubscription = max(1, payments / max(1, subscriptions))
        let base = Timestamp.date(millis: 1_672_531_200_000)  // 2023-01-01
        func time(_ date: Date) -> String {
            let text = Timestamp.format(date)  // 2023-01-01T10:00:00Z
            return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
        }
        var customers = "id,Email,Name,Created (UTC)\n"
        var subs =
            "id,Customer ID,Customer Email,Plan,Quantity,Currency,Interval,Amount,Status,Created (UTC),Current Period Start (UTC),Canceled At (UTC),Ended At (UTC)\n"
        var charges =
            "id,Created (UTC),Amount,Amount Refunded,Currency,Fee,Status,Customer ID,Customer Email,Captured,Disputed Amount,Dispute Date (UTC),Invoice ID,PaymentIntent ID\n"
        customers.reserveCapacity(subscriptions * 60)
        subs.reserveCapacity(subscriptions * 140)
        charges.reserveCapacity(payments * 130)
        var written = 0
        for s in 0..<subscriptions {
            let created = base.addingTimeInterval(Double(s % 365) * 86_400 + Double(s % 86_400))
            let customer = "cus_B\(s)"
            let email = "reader\(s)@example.org"
            customers += "\(customer),\(email),Reader \(s),\(time(created))\n"
            let count = s == subscriptions - 1 ? max(perSubscription, payments - written) : perSubscription
            let cancelled = s % 10 == 0
            let last = Calendar.gmt.date(byAdding: .month, value: count - 1, to: created)!
            let ended = last.addingTimeInterval(86_400 * 3)
            subs +=
                "sub_B\(s),\(customer),\(email),price_5,1,usd,month,5.00,\(cancelled ? "canceled" : "active"),\(time(created)),\(time(last)),\(cancelled ? time(ended) : ""),\(cancelled ? time(ended) : "")\n"
            for n in 0..<count where written < payments {
                let at = Calendar.gmt.date(byAdding: .month, value: n, to: created)!.addingTimeInterval(60)
                let refunded = written % 20 == 7 ? "2.00" : "0.00"
                let disputed = written % 500 == 3
                charges +=
                    "ch_B\(written),\(time(at)),5.00,\(refunded),usd,0.45,Paid,\(customer),\(email),true,\(disputed ? "3.00" : ""),\(disputed ? time(at.addingTimeInterval(86_400 * 10)) : ""),in_B\(written),pi_B\(written)\n"
                written += 1
            }
        }
        let urls = (
            directory.appending(path: "customers.csv"), directory.appending(path: "subscriptions.csv"),
            directory.appending(path: "payments.csv")
        )
        try customers.write(to: urls.0, atomically: false, encoding: .utf8)
        try subs.write(to: urls.1, atomically: false, encoding: .utf8)
        try charges.write(to: urls.2, atomically: false, encoding: .utf8)
        return urls
    }
}

extension Calendar {
    fileprivate static let gmt: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()
}
