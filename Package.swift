// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "cks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cks", targets: ["cks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Data files under assets/ compiled into the binary, so it finds them wherever it runs.
        .executableTarget(name: "EmbedAssetsTool"),
        .plugin(name: "EmbedAssets", capability: .buildTool(), dependencies: ["EmbedAssetsTool"]),
        .target(name: "Assets", plugins: ["EmbedAssets"]),

        .target(name: "KeyStoreEngine", dependencies: ["Assets"]),
        // Child processes without Foundation's Process: posix_spawn, output and exit collected on threads of their own.
        .target(name: "ChildProcesses"),
        .target(
            name: "Simulator",
            dependencies: [
                "KeyStoreEngine", "Assets", "XKS", "XKSProxy", "XKSClient", "LocalCA",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "SigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // What `cks serve` and the XKS proxy share of HTTP serving: limits on connections, request time and body size.
        .target(
            name: "HTTPServing",
            dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .target(
            name: "KMSServer",
            dependencies: [
                "KeyStoreEngine", "SigV4", "HTTPServing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AWSBackend",
            dependencies: [
                "KeyStoreEngine", "SigV4", "ChildProcesses",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // External key stores: the XKS Proxy API v1 (types, errors, AAD framing), the local CA, the proxy.
        .target(name: "XKS", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "LocalCA",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "XKSProxy",
            dependencies: [
                "XKS", "SigV4", "LocalCA", "HTTPServing",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The simulated KMS's client to XKS proxies: signed calls over HTTPS, keep-alive, KMS's timeouts, and
        // the classification of every failure into what KMS reports.
        .target(
            name: "XKSClient",
            dependencies: [
                "XKS", "SigV4", "KeyStoreEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncurses-dev"])]),
        .target(name: "Console", dependencies: ["KeyStoreEngine", "Assets", "CNCursesW"]),
        .target(
            name: "CKSCommands",
            dependencies: [
                "KeyStoreEngine", "Simulator", "Console", "KMSServer", "AWSBackend", "XKS", "XKSProxy", "LocalCA",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "cks", dependencies: ["CKSCommands"],
            // A position-dependent release executable on Linux: the dynamic linker then has about 1,100
            // relocations to apply at start instead of 142,000 (and no copy-on-write of the pages they touch),
            // which takes 1.6 ms off every command (`cks list --output json` 16.1 → 14.5 ms). Shared libraries
            // are still placed at random; debug builds and tests are unchanged.
            linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(platforms: [.linux], configuration: .release))]
        ),
        .executableTarget(
            name: "CKSBenchmarks",
            dependencies: [
                "KeyStoreEngine", "Simulator", "Console", "KMSServer", "SigV4", "XKS", "XKSProxy", "LocalCA", "HTTPServing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // A closed-loop load client for `cks serve` and its peers (scripts/bench-server.sh).
        .executableTarget(name: "cks-load", dependencies: ["SigV4"], path: "Sources/CKSLoad"),
        // The chaos harness and the abuse runs (scripts/chaos): many cks processes on one world, a killer, and
        // checks of the world file afterwards; hostile clients against `cks serve`.
        .target(
            name: "ChaosHarness",
            dependencies: ["KeyStoreEngine", "SigV4", "CKSTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "cks-chaos",
            dependencies: ["ChaosHarness", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/CKSChaos"
        ),

        // Helpers the test targets share: child processes (ChildProcesses), waiting with a bound, tmux, the cks
        // under test, SeededGenerator.
        .target(name: "CKSTestSupport", dependencies: ["ChildProcesses"], path: "Tests/Support"),
        .testTarget(name: "ChildProcessesTests", dependencies: ["ChildProcesses", "CKSTestSupport"]),
        .testTarget(name: "KeyStoreEngineTests", dependencies: ["KeyStoreEngine"]),
        .testTarget(
            name: "SimulatorTests",
            dependencies: [
                "Simulator", "KeyStoreEngine", "CKSTestSupport", "XKSClient", "XKS", "XKSProxy", "LocalCA",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "CKSCommandsTests", dependencies: ["CKSCommands", "Simulator", "KeyStoreEngine", "CKSTestSupport"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "KeyStoreEngine", "Simulator", "CKSTestSupport"]),
        .testTarget(name: "KMSServerTests", dependencies: ["KMSServer", "Simulator", "KeyStoreEngine", "SigV4", "CKSTestSupport"]),
        .testTarget(name: "AWSBackendTests", dependencies: ["AWSBackend", "KeyStoreEngine", "SigV4", "CKSTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "XKSProxyTests",
            dependencies: [
                "XKS", "XKSProxy", "LocalCA", "SigV4", "CKSTestSupport", "HTTPServing", "ChaosHarness",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "XKSClientTests",
            dependencies: ["XKSClient", "XKS", "XKSProxy", "LocalCA", "KeyStoreEngine", "CKSTestSupport"]
        ),
        .testTarget(name: "ReliabilityTests", dependencies: ["ChaosHarness", "KeyStoreEngine", "CKSTestSupport"]),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4", "CKSTestSupport"], resources: [.copy("Vectors")]),
    ]
)
