// swift-tools-version:6.1
import PackageDescription

// Benchmarks for Tessera, a package of their own so that the main package never builds them
// and never resolves ordo-one/benchmark or jwt-kit. Run everything with `benchmarks/run.sh`.
let package = Package(
    name: "tessera-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tessera", path: ".."),
        // Only the MallocInterposer trait: the default traits need a package the mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "TokenVerify",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TesseraCore", package: "tessera"),
                .product(name: "TesseraStore", package: "tessera"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/TokenVerify",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Pruning a 1M-entry revocation view, and the longest a token check waits meanwhile.
        .executableTarget(
            name: "RevocationPrune",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TesseraCore", package: "tessera"),
            ],
            path: "Benchmarks/RevocationPrune",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The hot path in a plain loop, to run under perf or valgrind.
        .executableTarget(
            name: "VerifyProfile",
            dependencies: [
                .product(name: "TesseraCore", package: "tessera"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/VerifyProfile"
        ),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // Resident size of the revocation view, read from /proc/self/statm around a 1M-entry load.
        .executableTarget(
            name: "RevocationViewMemory",
            dependencies: [.product(name: "TesseraCore", package: "tessera"), "CMalloc"],
            path: "Sources/RevocationViewMemory"
        ),
    ]
)
