// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "minqing",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "minqing", targets: ["minqing"]),
        .executable(name: "minqing-bench", targets: ["minqing-bench"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.110.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0")
    ],
    targets: [
        /// Pure rules: Foundation only, no I/O.
        .target(name: "MinqingDomain"),
        /// The application library: one folder per capability.
        .target(
            name: "MinqingServer",
            dependencies: [
                "MinqingDomain",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus")
            ],
            /// One holiday file per year (cn-YYYY.txt) for the platform's working-day calendar.
            resources: [.copy("Resources/calendar")]
        ),
        /// The demo subdistrict: its generators and loaders, and the `demo` and `serve --demo` commands.
        .target(
            name: "MinqingDemo",
            dependencies: [
                "MinqingDomain", "MinqingServer",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit")
            ]
        ),
        /// What the benchmarks call inside the server: linked by `minqing-bench` and the tests only.
        .target(
            name: "MinqingBenchSupport",
            dependencies: [
                "MinqingDomain", "MinqingServer", "MinqingDemo",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit")
            ]
        ),
        /// The entry point: the server's commands and the demo's.
        .executableTarget(name: "minqing", dependencies: ["MinqingServer", "MinqingDemo"]),
        /// Benchmarks that print figures (build in release).
        .executableTarget(name: "minqing-bench", dependencies: ["MinqingServer", "MinqingBenchSupport"]),
        .testTarget(name: "MinqingDomainTests", dependencies: ["MinqingDomain"]),
        .testTarget(name: "MinqingDemoTests", dependencies: ["MinqingDomain", "MinqingDemo"]),
        .testTarget(
            name: "MinqingServerTests",
            dependencies: [
                "MinqingServer", "MinqingDemo", "MinqingBenchSupport",
                .product(name: "VaporTesting", package: "vapor")
            ]
        )
    ]
)
