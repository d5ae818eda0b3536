// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for every parser that sees untrusted bytes, a package of its own so that the
// main package never builds them. Build and run them with `make fuzz` (fuzz/run.sh): it compiles
// this package with `-sanitize=fuzzer,address -parse-as-library`, so each target is a libFuzzer
// binary with AddressSanitizer (and LeakSanitizer) whose entry point is its
// `LLVMFuzzerTestOneInput`. Internal parsers are reached with `@testable import`, which the debug
// build allows. SwiftPM links an executable target's `main` to `<Target>_main` on Linux, so each
// target defines that function and hands its `LLVMFuzzerTestOneInput` to libFuzzer's driver.
let package = Package(
    name: "tessera-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tessera", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // The declaration of libFuzzer's driver, which each target's entry point calls.
        .target(name: "CFuzzDriver"),
        // Invariant checks, the JSON oracle and the independent JWS crafting the targets share.
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CFuzzDriver",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TesseraCore", package: "tessera"),
            ]
        ),
        // TokenVerifier.verify on raw tokens and on JSON signed with the verifier's keys.
        .executableTarget(
            name: "FuzzTokenVerifier",
            dependencies: [
                "FuzzSupport",
                .product(name: "TesseraCore", package: "tessera"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The token JSON reader: JSONReader, ClaimsParser, JOSEHeader, SignerLayoutParser.
        .executableTarget(
            name: "FuzzJSONReader",
            dependencies: [
                "FuzzSupport",
                .product(name: "TesseraCore", package: "tessera"),
            ]
        ),
        // The OAuth body decoder (form and JSON) and the query parameters of the admin routes.
        .executableTarget(
            name: "FuzzOAuthRequest",
            dependencies: [
                "FuzzSupport",
                .product(name: "TesseraCore", package: "tessera"),
                .product(name: "TesseraHTTP", package: "tessera"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // `Authorization: Bearer` in the server and in the API node middleware, and feed credentials.
        .executableTarget(
            name: "FuzzAuthorization",
            dependencies: [
                "FuzzSupport",
                .product(name: "TesseraCore", package: "tessera"),
                .product(name: "TesseraHTTP", package: "tessera"),
                .product(name: "TesseraVerifierHummingbird", package: "tessera"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ]
)
