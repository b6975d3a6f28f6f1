// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Pledger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pledger", targets: ["pledger"]),
        .executable(name: "pledger-bench", targets: ["PledgerBench"]),
        .library(name: "PledgerCore", targets: ["PledgerCore"]),
        .library(name: "PledgerStore", targets: ["PledgerStore"]),
        .library(name: "PledgerWebhooks", targets: ["PledgerWebhooks"]),
        .library(name: "PledgerApp", targets: ["PledgerApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Named for the HTTP edge's channel handler (431 for oversized headers); Hummingbird brings them too.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Outbound webhook deliveries: the ecosystem's HTTP client, with redirects off and a bounded body read.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // `pledger import`: the TOML column mappings (CSV is read by PledgerImport's own byte reader).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The reader's box pages (the iframe, the confirmation page): logic-less templates, HTML-escaped.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Thin module map over the system libcrypto (libssl-dev).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // The domain: pure Swift + Foundation, no I/O.
        .target(name: "PledgerCore", swiftSettings: swiftSettings),
        // Turns migrations/*.sql into Swift string literals so the binary carries its schema.
        .executableTarget(name: "MigrationsCodegen"),
        .plugin(
            name: "MigrationsPlugin",
            capability: .buildTool(),
            dependencies: ["MigrationsCodegen"]
        ),
        // The store seam: what each feature needs from storage, in domain types. SQLite implements it.
        .target(name: "PledgerStoreInterface", dependencies: ["PledgerCore"], swiftSettings: swiftSettings),
        .target(
            name: "PledgerStore",
            dependencies: [
                "PledgerCore",
                "PledgerStoreInterface",
                "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["MigrationsPlugin"]
        ),
        // Signature schemes over libcrypto, and processor events decoded into domain commands.
        .target(
            name: "PledgerWebhooks",
            dependencies: ["PledgerCore", "COpenSSL"],
            swiftSettings: swiftSettings
        ),
        // Reading other systems' exports (Stripe's dashboard CSVs, any CSV with a TOML mapping) into
        // import rows of Core values; each refused row names its file, line, column and reason. No ledger I/O.
        .target(
            name: "PledgerImport",
            dependencies: [
                "PledgerCore",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The use cases, one service per feature: the one place that combines Core, Store and Webhooks.
        .target(
            name: "PledgerApp",
            dependencies: [
                "PledgerCore", "PledgerImport", "PledgerRender", "PledgerStore", "PledgerStoreInterface",
                "PledgerWebhooks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The reader's box configuration file (`serve --box box.toml`).
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The reports as a terminal table, CSV, Markdown, HTML with SVG charts, and JSON: Core in, text out.
        .target(name: "PledgerRender", dependencies: ["PledgerCore"], swiftSettings: swiftSettings),
        // Made-up histories for `pledger demo`, the benchmark and the tests; never part of a real ledger.
        .target(
            name: "PledgerDemo",
            dependencies: ["PledgerApp", "PledgerCore", "PledgerStore"],
            swiftSettings: swiftSettings
        ),
        // The JSON API and webhook endpoints on Hummingbird 2; handlers parse, call one use case, render.
        .target(
            name: "PledgerHTTP",
            dependencies: [
                "PledgerApp", "PledgerCore", "PledgerRender", "PledgerWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["MigrationsPlugin"]
        ),
        // `swift run -c release pledger-bench`: every figure beside its baseline (docs/PERFORMANCE.md).
        .executableTarget(
            name: "PledgerBench",
            dependencies: [
                "PledgerApp", "PledgerCore", "PledgerDemo", "PledgerImport", "PledgerRender", "PledgerStore",
                "PledgerWebhooks", "PledgerHTTP", "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Fuzzing the parsers of untrusted input: see Fuzz/README.md.
        .executableTarget(
            name: "PledgerFuzz",
            dependencies: ["PledgerCore", "PledgerWebhooks"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "pledger",
            dependencies: [
                "PledgerHTTP",
                .product(name: "Logging", package: "swift-log"),
                "PledgerApp",
                "PledgerCore",
                "PledgerDemo",
                "PledgerImport",
                "PledgerRender",
                "PledgerWebhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Helpers for the test targets: temporary ledgers, fixed instants.
        .target(
            name: "PledgerTestSupport",
            dependencies: [
                "PledgerApp", "PledgerStore", "PledgerCore", "PledgerWebhooks",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PledgerCoreTests", dependencies: ["PledgerCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PledgerStoreTests",
            dependencies: [
                "PledgerStore", "PledgerStoreInterface", "PledgerCore", "PledgerApp", "PledgerDemo",
                "PledgerTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PledgerWebhooksTests",
            dependencies: ["PledgerWebhooks", "PledgerCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PledgerHTTPTests",
            dependencies: [
                "PledgerHTTP", "PledgerApp", "PledgerCore", "PledgerRender", "PledgerStore", "PledgerStoreInterface",
                "PledgerWebhooks", "PledgerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PledgerAppTests",
            dependencies: [
                "PledgerApp", "PledgerDemo", "PledgerImport", "PledgerRender", "PledgerStore", "PledgerStoreInterface",
                "PledgerCore",
                "PledgerWebhooks", "PledgerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // The import's bulk and per-row paths compared row by row, past the use cases.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PledgerEndToEndTests",
            dependencies: [
                "pledger", "PledgerWebhooks", "PledgerCore", "PledgerApp", "PledgerTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
