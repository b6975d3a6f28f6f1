import COpenSSL
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PledgerApp
import PledgerCore
import PledgerDemo
import PledgerHTTP
import PledgerRender
import PledgerWebhooks

// `swift run -c release pledger-bench [--json] [--supporters N] [--months M]`: each figure beside its baseline
// from the same run on the same machine, so the ratios hold when the machine's speed drifts.
// See docs/PERFORMANCE.md.

let arguments = CommandLine.arguments
// A request for help must not start the benchmark: a full run holds both cores for many minutes.
if arguments.contains("--help") || arguments.contains("-h") {
    print(
        """
        USAGE: pledger-bench [--json] [--supporters N] [--months M] [--ledger PATH]...
                             [--only hmac|ingest|report|http|outbound|import|box]
                             [--import-subscriptions N] [--import-payments M]

        Measures each figure beside its baseline from the same run (docs/PERFORMANCE.md). Build it
        with `swift build -c release --product pledger-bench`; a full run takes many minutes.
        """)
    exit(0)
}
let asJSON = arguments.contains("--json")
let supporters = arguments.firstIndex(of: "--supporters").flatMap { Int(arguments[$0 + 1]) } ?? 10_000
let months = arguments.firstIndex(of: "--months").flatMap { Int(arguments[$0 + 1]) } ?? 24
/// `--only hmac|ingest|report|http|outbound|import|box` runs one part (for profiling one figure).
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
func wanted(_ part: String) -> Bool { only == nil || only == part }
let ledgerPaths = arguments.indices.filter { arguments[$0] == "--ledger" && $0 + 1 < arguments.count }.map {
    arguments[$0 + 1]
}

// Child modes: this binary re-run as the server, or as one report, so their memory is their own.
if let index = arguments.firstIndex(of: "--serve-child") {
    try await runServerChild(
        db: arguments[index + 1], box: arguments.firstIndex(of: "--box").map { arguments[$0 + 1] })
    exit(0)
}
if arguments.contains("--receiver-child") {
    try await runReceiverChild()
    exit(0)
}
if let index = arguments.firstIndex(of: "--report-child") {
    let app = try Pledger.open(path: arguments[index + 1])
    print(
        try await app.reports.monthly(month: ReportMonth.lastComplete(at: Date(), in: .gmt), trend: false).rendered(
            as: .table))
    exit(0)
}
/// SQLite's own durable one-row commit rate on this file system (WAL, `synchronous=FULL`), measured
/// once and shared by the ingestion and HTTP figures.
nonisolated(unsafe) var durableCommitRateMeasured: Double?
func measureDurableCommitRate() throws -> Double {
    if let durableCommitRateMeasured { return durableCommitRateMeasured }
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let pool = try DatabasePool(
        path: workDirectory.appending(path: "baseline.sqlite").path, configuration: configuration)
    try pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)") }
    let commits = 400
    let took = try seconds {
        for n in 0..<commits {
            try pool.write { db in try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["row \(n)"]) }
        }
    }
    durableCommitRateMeasured = Double(commits) / took
    return Double(commits) / took
}
var results: [(name: String, value: Double, unit: String, baseline: Double, ratio: Double, target: String)] = []

func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try work()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

@MainActor func asyncSeconds(_ work: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await work()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let workDirectory = FileManager.default.temporaryDirectory.appending(path: "pledger-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: workDirectory) }

// 4. (run first) Peak memory of the report on the largest ledger given, as `pledger report` runs
//    it: a child process (this binary in report mode), measured through wait4. First, because
//    Linux counts in a child's peak what its parent held when it was spawned.
let reportPeak =
    wanted("report") && !ledgerPaths.isEmpty
    ? try childPeakRSSMegabytes([CommandLine.arguments[0], "--report-child", ledgerPaths.last!]) : nil

// 1. HMAC: Pledger's Stripe verifier against raw OpenSSL HMAC() over the same 2 KB event.
if wanted("hmac") {
    let secret = "whsec_bench_secret"
    let body = Array(String(repeating: "{\"k\":\"v\"},", count: 205).prefix(2048).utf8)
    let now = Date()
    let header = StripeSignatureScheme.sign(body: body, secret: secret, timestamp: Int64(now.timeIntervalSince1970))
    let scheme = try StripeSignatureScheme(secrets: [secret])
    let iterations = 50_000
    let verify = try seconds { for _ in 0..<iterations { _ = try scheme.verify(header: header, body: body, now: now) } }
    let key = Array(secret.utf8)
    let payload = Array("\(Int64(now.timeIntervalSince1970)).".utf8) + body
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    let raw = seconds {
        for _ in 0..<iterations {
            _ = HMAC(EVP_sha256(), key, Int32(key.count), payload, payload.count, &digest, &length)
        }
    }
    let rate = Double(iterations) / verify
    let baseline = Double(iterations) / raw
    results.append(("HMAC verifications", rate, "/s", baseline, rate / baseline, "≥ 0.8×"))
}

// 2. Durable ingestion in process: 32 producers through verify, decode, book and event row,
//    against SQLite's own one-row durable commit rate on the same file system.
if wanted("ingest") {
    let app = try Pledger.open(
        path: workDirectory.appending(path: "ingest.sqlite").path, config: ingestionConfig())
    let rate = try await measureIngestion(app, perProducer: 100)
    let baseline = try measureDurableCommitRate()
    results.append(("durable webhook ingestion, 32 producers", rate, "events/s", baseline, rate / baseline, "≥ 3×"))
}

// 6. The outbox: signed deliveries to 4 endpoints on a loopback receiver, against AsyncHTTPClient
//    POSTing the same bodies unsigned from no ledger; and ingestion while those deliveries run,
//    against ingestion with no endpoint at all.
if wanted("outbound") {
    let figures = try await measureOutbound(in: workDirectory)
    results.append(
        (
            "events delivered to 4 loopback endpoints, signed", figures.deliveryRate, "deliveries/s",
            figures.rawPostRate, figures.deliveryRate / figures.rawPostRate, "report"
        ))
    results.append(
        (
            "ingestion with 4 endpoints delivered from another process, vs none", figures.ingestionEndpointsIdle,
            "events/s", figures.ingestionAlone, figures.ingestionEndpointsIdle / figures.ingestionAlone, "≥ 0.85×"
        ))
    results.append(
        (
            "ingestion while delivering to 4 endpoints in process, vs none", figures.ingestionDelivering, "events/s",
            figures.ingestionAlone, figures.ingestionDelivering / figures.ingestionAlone, "≥ 0.85×"
        ))
}

// 3. One month's report (the table: the month and the one before) on demo ledgers, against one
//    hand-written aggregate over the same month's ledger postings, run in the same process.
//    The ledger built here is measured before its first report (no MRR checkpoints yet) and after;
//    `--ledger PATH` adds ledgers made by `pledger demo` (100k, 1M supporters).
@MainActor func measureReport(_ app: Pledger, label: String, month: ReportMonth) async throws {
    let (start, end) = month.interval(in: .gmt)
    let baseline = try BaselineQueries(path: app.ledgerPath)
    let activity = try await baseline.activity(from: start, to: end)
    _ = try await app.reports.monthly(month: month, trend: false)  // warm the page cache, keep checkpoints
    var reportTimes: [Double] = []
    var trendTimes: [Double] = []
    var queryTimes: [Double] = []
    var narrowTimes: [Double] = []
    for _ in 0..<5 {
        reportTimes.append(try await asyncSeconds { _ = try await app.reports.monthly(month: month, trend: false) })
        queryTimes.append(try await asyncSeconds { _ = try await baseline.aggregate(from: start, to: end) })
        narrowTimes.append(try await asyncSeconds { _ = try await baseline.receipts(from: start, to: end) })
        trendTimes.append(try await asyncSeconds { _ = try await app.reports.monthly(month: month) })
    }
    let report = reportTimes.sorted()[2]
    let query = queryTimes.sorted()[2]
    let narrow = narrowTimes.sorted()[2]
    let trend = trendTimes.sorted()[2]
    results.append(
        (
            "report \(month), \(label), \(activity) payments in the month", report * 1000, "ms", query * 1000,
            report / query, "≤ 2×; ≤ 500 ms at 1M"
        ))
    results.append(
        (
            "  same month vs the narrowest receipts query (payments index)", report * 1000, "ms", narrow * 1000,
            report / narrow, "(info)"
        ))
    results.append(
        ("  with the 12-month trend (JSON, HTML)", trend * 1000, "ms", query * 1000, trend / query, "(info)"))
}

if wanted("report") {
    let path = workDirectory.appending(path: "demo.sqlite").path
    let app = try Pledger.open(path: path, durability: .scratch)
    let generation = try await asyncSeconds {
        _ = try await BulkDemo(supporters: supporters, months: months).generate(into: app, now: Date())
    }
    let baseline = try BaselineQueries(path: path)
    let month = ReportMonth.lastComplete(at: Date(), in: .gmt)
    let (start, end) = month.interval(in: .gmt)
    _ = try await baseline.aggregate(from: start, to: end)  // the same warm cache for both
    let first = try await asyncSeconds { _ = try await app.reports.monthly(month: month, trend: false) }
    let query = try await asyncSeconds { _ = try await baseline.aggregate(from: start, to: end) }
    results.append(
        (
            "first report, no MRR checkpoint yet (\(supporters) × \(months) months, built in \(String(format: "%.1f", generation)) s)",
            first * 1000, "ms", query * 1000, first / query, "(info)"
        ))
    try await measureReport(app, label: "\(supporters) supporters", month: month)
    // An early month of the same ledger: fewer supporters had joined, so less activity, same history length after it.
    if months > 4 {
        var early = month
        for _ in 0..<(months - 4) { early = early.previous }
        try await measureReport(app, label: "\(supporters) supporters, early month", month: early)
    }
    for path in ledgerPaths {
        let app = try Pledger.open(path: path)
        try await measureReport(app, label: URL(fileURLWithPath: path).lastPathComponent, month: month)
        try app.close()
    }
}

if let reportPeak {
    results.append(
        (
            "peak RSS of the report on \(URL(fileURLWithPath: ledgerPaths.last!).lastPathComponent)", reportPeak, "MB",
            150, reportPeak / 150, "≤ 150 MB"
        ))
}

// 5. Signed deliveries over HTTP through a separate server process on loopback, 32 connections,
//    against the same server's GET /healthz rate; latency percentiles from the client side.
if wanted("http") {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let path = workDirectory.appending(path: "http.sqlite").path
    var pledges: [String] = []
    do {
        let app = try Pledger.open(path: path)
        for n in 0..<32 {
            pledges.append(
                try await app.pledges.record(
                    PledgeRequest(
                        email: "h\(n)@example.org", amount: Money(minorUnits: 500, currency: .eur), cadence: .monthly)
                ).id.rawValue)
        }
        try app.close()
    }
    let pledgeIDs = pledges
    let server = try ServerProcess(db: path, secret: secret)
    let port = server.port
    let perConnection = 60

    let health = await HTTPLoad.run(port: port, perConnection: perConnection) { _, _ in ("/healthz", [:], nil) }
    let deliveries = await HTTPLoad.run(port: port, perConnection: perConnection) { connection, n in
        let id = "msg_http_\(connection)_\(n)"
        let body = Array(
            #"{"type": "pledge.payment_succeeded", "data": {"pledge_id": "\#(pledgeIDs[connection])", "payment_id": "gw_http_\#(connection)_\#(n)", "amount": 500, "currency": "EUR", "occurred_at": "2026-10-10T10:00:00Z"}}"#
                .utf8)
        let timestamp = Int64(Date().timeIntervalSince1970)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("webhook-id")!] = id
        headers[HTTPField.Name("webhook-timestamp")!] = "\(timestamp)"
        headers[HTTPField.Name("webhook-signature")!] = try! StandardWebhooksScheme.sign(
            id: id, timestamp: timestamp, body: body, secret: secret)
        return ("/v1/webhooks/standard", headers, ByteBuffer(bytes: body))
    }
    let serverPeak = server.peakRSSMegabytes()
    server.stop()
    results.append(
        (
            "signed deliveries over HTTP, 32 connections (\(deliveries.percentiles))",
            deliveries.rate, "req/s", health.rate, deliveries.rate / health.rate, "≥ 0.3×, p99 ≤ 50 ms"
        ))
    let durableCommitRate = try measureDurableCommitRate()
    results.append(
        (
            "  the same deliveries vs SQLite's durable one-row commits", deliveries.rate, "req/s", durableCommitRate,
            deliveries.rate / durableCommitRate, "≥ 1×"
        ))
    results.append(
        (
            "peak RSS of the server process (\(server.kind)) under that load", serverPeak, "MB", 150, serverPeak / 150,
            "≤ 150 MB"
        ))
}

// 7. The reader's box: POST /v1/public/checkout (a pending pledge with its attribution, durable)
//    per second and its latency over 32 connections, beside the same server's GET /healthz; and the
//    size of box.js against its 30 KB budget.
if wanted("box") {
    let path = workDirectory.appending(path: "box.sqlite").path
    let origin = "https://bench.example.org"
    let key: String
    do {
        let app = try Pledger.open(path: path)
        key = try await app.box.createKey(origins: [origin], label: "bench").key
        try app.close()
    }
    // The fixture's box with limits no benchmark reaches: every request comes from one address.
    let boxFile = workDirectory.appending(path: "box.toml")
    try """
    public_url = "http://127.0.0.1:8080"
    currencies = ["USD"]
    checkout_url = "https://buy.example.org/?ref={pledge_id}"
    [presets.one_off]
    USD = [1000]
    [presets.monthly]
    USD = [500]
    [presets.annual]
    USD = [5000]
    [limits]
    per_ip_burst = 1000000
    per_ip_refill_seconds = 1
    """.write(to: boxFile, atomically: true, encoding: .utf8)
    let server = try ServerProcess(db: path, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", box: boxFile.path)
    let port = server.port
    let health = await HTTPLoad.run(port: port, perConnection: 60) { _, _ in ("/healthz", [:], nil) }
    let checkouts = await HTTPLoad.run(port: port, perConnection: 60) { connection, n in
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.origin] = origin
        let body =
            #"{"key":"\#(key)","cadence":"monthly","amount":500,"currency":"USD","page_url":"https://bench.example.org/news/\#(connection)-\#(n)?utm_source=bench","campaign":"bench"}"#
        return ("/v1/public/checkout", headers, ByteBuffer(string: body))
    }
    let script = try await HTTPLoad.body(port: port, path: "/box.js")
    server.stop()
    results.append(
        (
            "box: POST /v1/public/checkout, 32 connections (\(checkouts.percentiles))", checkouts.rate, "req/s",
            health.rate, checkouts.rate / health.rate, "(info)"
        ))
    results.append(
        ("box: box.js, uncompressed", Double(script.count) / 1024, "KB", 30, Double(script.count) / 30_720, "≤ 30 KB"))
}

// 6. Moving in: Stripe exports of 100k subscriptions and 1M payments imported into a fresh durable
//    ledger, in rows per second, against reading the same files alone.
if wanted("import") {
    let subscriptions = arguments.firstIndex(of: "--import-subscriptions").flatMap { Int(arguments[$0 + 1]) } ?? 100_000
    let payments = arguments.firstIndex(of: "--import-payments").flatMap { Int(arguments[$0 + 1]) } ?? 1_000_000
    let figures = try await ImportBench.run(
        subscriptions: subscriptions, payments: payments, directory: workDirectory)
    let rate = Double(figures.rows) / figures.seconds
    let parseRate = Double(figures.rows) / figures.parseSeconds
    results.append(
        (
            "import stripe: \(subscriptions) subscriptions, \(payments) payments (\(String(format: "%.1f", figures.seconds)) s)",
            rate, "rows/s", parseRate, rate / parseRate, "≤ 120 s"
        ))
    results.append(
        (
            "  reading the three CSV files alone (\(String(format: "%.1f", figures.parseSeconds)) s)", parseRate,
            "rows/s",
            parseRate, 1, "(info)"
        ))
}

if asJSON {
    let rows = results.map {
        [
            "name": $0.name, "value": $0.value, "unit": $0.unit, "baseline": $0.baseline, "ratio": $0.ratio,
            "target": $0.target,
        ] as [String: Any]
    }
    let data = try JSONSerialization.data(
        withJSONObject: ["results": rows, "date": ISO8601DateFormatter().string(from: Date())],
        options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
} else {
    print(
        "figure".padding(toLength: 72, withPad: " ", startingAt: 0),
        "value".padding(toLength: 18, withPad: " ", startingAt: 0),
        "baseline".padding(toLength: 14, withPad: " ", startingAt: 0), "ratio   target")
    for r in results {
        print(
            r.name.padding(toLength: 72, withPad: " ", startingAt: 0),
            (String(format: "%.1f ", r.value) + r.unit).padding(toLength: 18, withPad: " ", startingAt: 0),
            String(format: "%.1f", r.baseline).padding(toLength: 14, withPad: " ", startingAt: 0),
            String(format: "%.2f×", r.ratio).padding(toLength: 8, withPad: " ", startingAt: 0), r.target)
    }
}
