// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode comes from the tools version;
/// `ExistentialAny` makes every protocol-typed value say `any` so dynamic dispatch is visible.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// Core and store targets also enable `MemberImportVisibility`: a member (an extension's method)
/// is visible only where its module is imported, so an undeclared dependency cannot hide behind a
/// transitive import.
let coreSettings: [SwiftSetting] = strictSettings + [
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "kubeid",
    // kubeid is built and tested on Linux only; macOS 15 is the floor of the APIs it uses
    // (Synchronization's Mutex), not a platform anyone builds on.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kubeid", targets: ["kubeid"]),
        .executable(name: "kubelogin", targets: ["kubelogin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Tests only: property-based checks of the kubeconfig round trip and the token state machines.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // C libraries, wrapped once by Cryptography and imported nowhere else.
        .systemLibrary(name: "CJWT", path: "Sources/CJWT", pkgConfig: "libjwt",
                       providers: [.apt(["libjwt-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),

        // Leaves shared by both stacks.
        .target(name: "Cryptography", dependencies: ["CJWT", "COpenSSL"], swiftSettings: strictSettings),
        .target(name: "OAuthProtocol", swiftSettings: coreSettings),
        .target(name: "KubernetesTypes", dependencies: [.product(name: "Yams", package: "Yams")],
                swiftSettings: strictSettings),

        // Issuer stack.
        .target(name: "IdentityCore",
                dependencies: ["Cryptography", "OAuthProtocol",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics")],
                swiftSettings: coreSettings),
        .target(name: "IdentityStoreSQLite",
                dependencies: ["IdentityCore", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: coreSettings),
        .target(name: "IdentityStorePostgres",
                dependencies: ["IdentityCore", .product(name: "PostgresNIO", package: "postgres-nio"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: coreSettings),
        .target(name: "IdentityHTTP",
                dependencies: ["IdentityCore", "OAuthProtocol", "Cryptography", "KubernetesTypes",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               // MaximumAvailableConnections (the connection cap).
                               .product(name: "HummingbirdCore", package: "hummingbird"),
                               .product(name: "HummingbirdTLS", package: "hummingbird"),
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOFoundationCompat", package: "swift-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics")],
                swiftSettings: strictSettings),
        .target(name: "KubeIDCLI",
                dependencies: ["IdentityCore", "IdentityHTTP", "IdentityStoreSQLite", "IdentityStorePostgres",
                               "Cryptography", "OAuthProtocol", "KubernetesTypes",
                               .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: strictSettings),
        .executableTarget(name: "kubeid", dependencies: ["KubeIDCLI"], swiftSettings: strictSettings),

        // Plugin stack: small and fast to start; never imports the issuer's targets.
        .target(name: "KubeLoginCore",
                dependencies: ["OAuthProtocol", "KubernetesTypes", "Cryptography",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOFoundationCompat", package: "swift-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl")],
                swiftSettings: strictSettings),
        .target(name: "KubeLoginCLI",
                dependencies: ["KubeLoginCore", "KubernetesTypes", "OAuthProtocol",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: strictSettings),
        // Non-PIE: kubectl starts the plugin for every command, and relocating a PIE this size costs
        // more than the cache hit itself (3.6 → 2.9 × a trivial static binary; docs/kubelogin.md).
        // The executable's own image then has a fixed address; libraries, heap and stack keep ASLR.
        .executableTarget(name: "kubelogin", dependencies: ["KubeLoginCLI"], swiftSettings: strictSettings,
                          linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(platforms: [.linux]))]),

        // Fuzz targets (docs/fuzzing.md): one binary, the target chosen at run time. Built
        // normally it replays inputs; `make fuzz` builds it with libFuzzer and AddressSanitizer.
        .executableTarget(name: "KubeIDFuzz",
                          dependencies: ["Cryptography", "OAuthProtocol", "KubernetesTypes", "KubeLoginCore", "IdentityHTTP",
                                         "IdentityCore"],
                          path: "Tests/Fuzz/Targets",
                          swiftSettings: strictSettings + (Context.environment["KUBEID_FUZZ"] == "1" ? [.define("FUZZING")] : [])),

        // Test support: never a dependency of a shipped target.
        .target(name: "IdentityTesting",
                dependencies: ["IdentityCore", "IdentityStoreSQLite", "IdentityHTTP", "Cryptography", "OAuthProtocol",
                               "KubernetesTypes",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "HummingbirdTesting", package: "hummingbird"),
                               // The kube-apiserver stand-in (KubeAPIServerStandIn): HTTPS server, JWKS fetch.
                               .product(name: "HummingbirdTLS", package: "hummingbird"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOFoundationCompat", package: "swift-nio"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strictSettings),

        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"], swiftSettings: strictSettings),
        .testTarget(name: "KubernetesTypesTests",
                    dependencies: ["KubernetesTypes", .product(name: "PropertyBased", package: "swift-property-based")],
                    swiftSettings: strictSettings),
        .testTarget(name: "OAuthProtocolTests", dependencies: ["OAuthProtocol"], swiftSettings: strictSettings),
        .testTarget(name: "KubeLoginCoreTests",
                    dependencies: ["KubeLoginCore", "KubeLoginCLI", "KubernetesTypes", "OAuthProtocol", "Cryptography"],
                    swiftSettings: strictSettings),
        .testTarget(name: "EndToEndTests",
                    dependencies: ["IdentityTesting", "KubernetesTypes", "Cryptography", "OAuthProtocol"],
                    swiftSettings: strictSettings),
        .testTarget(name: "IdentityCoreTests",
                    dependencies: ["IdentityCore", "IdentityTesting", "Cryptography", "OAuthProtocol",
                                   .product(name: "PropertyBased", package: "swift-property-based")],
                    swiftSettings: strictSettings),
        .testTarget(name: "IdentityStoreConformanceTests",
                    dependencies: ["IdentityCore", "IdentityStoreSQLite", "IdentityStorePostgres", "IdentityTesting",
                                   "Cryptography", .product(name: "MetricsTestKit", package: "swift-metrics")],
                    swiftSettings: strictSettings),
        .testTarget(name: "IdentityHTTPTests",
                    dependencies: ["IdentityHTTP", "IdentityCore", "IdentityTesting", "Cryptography", "OAuthProtocol",
                                   "KubernetesTypes",
                                   .product(name: "Hummingbird", package: "hummingbird"),
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "CoreMetrics", package: "swift-metrics"),
                                   .product(name: "MetricsTestKit", package: "swift-metrics")],
                    swiftSettings: strictSettings),
        .testTarget(name: "KubeIDCLITests",
                    dependencies: ["KubeIDCLI", "IdentityCore", "IdentityTesting", "KubernetesTypes", "Cryptography",
                                   .product(name: "Yams", package: "Yams"),
                                   .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strictSettings),
    ]
)
