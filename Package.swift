// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "tessera",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tessera", targets: ["tessera"]),
        .executable(name: "tessera-example-api", targets: ["TesseraExampleAPI"]),
        .library(name: "TesseraCore", targets: ["TesseraCore"]),
        .library(name: "TesseraPasswords", targets: ["TesseraPasswords"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
        .library(name: "TesseraStore", targets: ["TesseraStore"]),
        .library(name: "TesseraAuth", targets: ["TesseraAuth"]),
        .library(name: "TesseraHTTP", targets: ["TesseraHTTP"]),
        // For API nodes: in-process token checks with the revocation view, and their Hummingbird middleware.
        .library(name: "TesseraVerifier", targets: ["TesseraVerifier"]),
        .library(name: "TesseraVerifierHummingbird", targets: ["TesseraVerifierHummingbird"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-docc-plugin.git", from: "1.4.0"),
    ],
    targets: [
        // System libraries: the only places C handles appear.
        .systemLibrary(name: "CHiredis"),
        .systemLibrary(name: "CCrypt"),

        // Tokens, keys, events, the revocation view: no HTTP, no Redis, no libxcrypt.
        .target(
            name: "TesseraCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        // Password hashing on a bounded pool of its own threads: the only importer of libxcrypt.
        .target(
            name: "TesseraPasswords",
            dependencies: [
                "CCrypt",
                "TesseraCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The hiredis wrapper: connections, replies, the pool. The only importer of hiredis.
        .target(
            name: "RedisClient",
            dependencies: [
                "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The event log in a Redis Stream, its Lua scripts and projection readers.
        .target(
            name: "TesseraStore",
            dependencies: [
                "TesseraCore",
                "RedisClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Scripts")],
            swiftSettings: swiftSettings
        ),
        // The use cases (login, refresh, logout, revoke, password change, admin actions) and the
        // assembly of a node: what routes call, with no HTTP in it.
        .target(
            name: "TesseraAuth",
            dependencies: [
                "TesseraCore",
                "TesseraPasswords",
                "TesseraStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Routes (parse, call a use case, render), middleware, error mapping.
        .target(
            name: "TesseraHTTP",
            dependencies: [
                "TesseraCore",
                "TesseraStore",
                "TesseraAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tessera",
            dependencies: [
                "TesseraCore",
                "TesseraPasswords",
                "TesseraStore",
                "TesseraAuth",
                "TesseraHTTP",
                "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What an API node links: tokens checked in-process against a revocation view fed from
        // Redis (read-only) or from a Tessera node's revocation feed over HTTP.
        .target(
            name: "TesseraVerifier",
            dependencies: [
                "TesseraCore",
                "TesseraStore",
                "RedisClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // hummingbird-auth middleware over TesseraVerifier.
        .target(
            name: "TesseraVerifierHummingbird",
            dependencies: [
                "TesseraVerifier",
                "TesseraCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        // An example API node: a public route, one for any signed-in user, one for admins.
        .executableTarget(
            name: "TesseraExampleAPI",
            dependencies: [
                "TesseraVerifier",
                "TesseraVerifierHummingbird",
                "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Starts and stops real redis-server processes for the tests.
        .target(
            name: "TesseraTestSupport",
            dependencies: [
                "RedisClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The event store on a test redis-server: a store under a prefix of its own, registered
        // users, and the workload that runs every store command.
        .target(
            name: "TesseraStoreTestSupport",
            dependencies: [
                "TesseraTestSupport",
                "TesseraStore",
                "TesseraAuth",
                "TesseraCore",
                "TesseraPasswords",
                "RedisClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "TesseraCoreTests",
            dependencies: ["TesseraCore", "TesseraTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TesseraPasswordsTests",
            dependencies: ["TesseraPasswords", "TesseraCore", "TesseraTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisClientTests",
            dependencies: ["RedisClient", "TesseraTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TesseraStoreTests",
            dependencies: [
                "TesseraStore", "TesseraAuth", "TesseraCore", "TesseraPasswords", "RedisClient", "TesseraTestSupport", "TesseraStoreTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TesseraHTTPTests",
            dependencies: [
                "TesseraHTTP",
                "TesseraAuth",
                "TesseraStore",
                "TesseraCore",
                "TesseraPasswords",
                "RedisClient",
                "TesseraTestSupport",
                "TesseraStoreTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TesseraCLITests",
            dependencies: [
                "tessera",
                "TesseraTestSupport",
                "TesseraStoreTestSupport",
                "TesseraAuth",
                "TesseraHTTP",
                "TesseraStore",
                "TesseraCore",
                "TesseraPasswords",
                "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TesseraVerifierTests",
            dependencies: [
                "TesseraVerifier",
                "TesseraVerifierHummingbird",
                "TesseraExampleAPI",
                "TesseraHTTP",
                "TesseraAuth",
                "TesseraStore",
                "TesseraCore",
                "TesseraPasswords",
                "RedisClient",
                "TesseraTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
