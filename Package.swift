// swift-tools-version:6.0
// CityData — an event-driven data platform for a city's agencies.
// Swift 6 language mode (complete strict concurrency) for every target.
import PackageDescription

let package = Package(
    name: "CityData",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ingest", targets: ["ingest"]),
        .executable(name: "catalog", targets: ["catalog"]),
        .executable(name: "indicators", targets: ["indicators"]),
        .executable(name: "notifications", targets: ["notifications"]),
        .executable(name: "kafka-dev-cluster", targets: ["KafkaDevCluster"]),
        .executable(name: "kafka-bench", targets: ["KafkaBench"]),
        .executable(name: "kafka-probe", targets: ["KafkaProbe"]),
        .executable(name: "citydata-admin", targets: ["CityAdmin"]),
        .executable(name: "schema-bench", targets: ["SchemaBench"]),
        .executable(name: "runtime-probe", targets: ["RuntimeProbe"]),
        .executable(name: "citytopics", targets: ["CityTopics"]),
        .library(name: "CityKafka", targets: ["CityKafka"]),
        .library(name: "CityEvents", targets: ["CityEvents"]),
        .library(name: "CityRuntime", targets: ["CityRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
    ],
    targets: [
        // MARK: Shared libraries
        .systemLibrary(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "CityKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/CityKafka"
        ),
        .target(
            name: "CityEvents",
            path: "Shared/CityEvents"
        ),
        .target(
            name: "CityRuntime",
            dependencies: [
                "CityKafka",
                "CityEvents",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Shared/CityRuntime"
        ),

        // MARK: Services
        // Each service: `Core` holds its domain logic without I/O (unit-tested on its own), `App` the
        // executable — HTTP routes, repositories (SQL) and Kafka consumers — tested as a process.
        .target(name: "IngestCore", dependencies: ["CityEvents"], path: "Services/ingest/Core"),
        .executableTarget(
            name: "ingest",
            dependencies: [
                "IngestCore",
                "CityRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/ingest/App"
        ),
        .target(name: "CatalogCore", dependencies: ["CityEvents"], path: "Services/catalog/Core"),
        .executableTarget(
            name: "catalog",
            dependencies: [
                "CatalogCore", "CityEvents", "CityKafka", "CityRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/catalog/App"
        ),
        .target(name: "IndicatorsCore", dependencies: ["CityEvents"], path: "Services/indicators/Core", exclude: ["README.md"]),
        .executableTarget(
            name: "indicators",
            dependencies: [
                "IndicatorsCore", "CityEvents", "CityKafka", "CityRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/indicators/App"
        ),
        .target(name: "NotificationsCore", dependencies: ["CityEvents"], path: "Services/notifications/Core", exclude: ["README.md"]),
        .executableTarget(
            name: "notifications",
            dependencies: [
                "NotificationsCore", "CityEvents", "CityKafka", "CityRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/notifications/App"
        ),

        // MARK: Tools
        .executableTarget(
            name: "KafkaDevCluster",
            dependencies: [
                "CityKafka",
                "CityEvents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/KafkaDevCluster"
        ),
        .executableTarget(
            name: "KafkaBench",
            dependencies: [
                "CityKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/KafkaBench"
        ),
        .executableTarget(
            name: "KafkaProbe",
            dependencies: [
                "CityKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/KafkaProbe"
        ),

        .executableTarget(
            name: "CityAdmin",
            dependencies: [
                "CityRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/CityAdmin"
        ),
        .executableTarget(name: "SchemaBench", dependencies: ["CityEvents"], path: "Tools/SchemaBench"),
        .executableTarget(
            name: "RuntimeProbe",
            dependencies: [
                "CityRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tools/RuntimeProbe"
        ),

        .executableTarget(
            name: "CityTopics",
            dependencies: [
                "CityKafka",
                "CityEvents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/CityTopics"
        ),

        // MARK: Tests
        // What the integration tests share: child processes, the Kafka dev cluster, the test database.
        .target(
            name: "CityTestSupport",
            dependencies: [
                "CityRuntime",
                "CityKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/CityTestSupport"
        ),
        .testTarget(name: "CityKafkaTests", dependencies: ["CityKafka"], path: "Tests/CityKafkaTests"),
        .testTarget(
            name: "CityEventsTests",
            dependencies: ["CityEvents"],
            path: "Tests/CityEventsTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CityRuntimeTests",
            dependencies: [
                "CityRuntime",
                "CityKafka",
                "CityEvents",
                "CityTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tests/CityRuntimeTests"
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: ["IngestCore", "CityEvents", "CityKafka", "CityRuntime", "CityTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/IngestTests"
        ),
        .testTarget(
            name: "CatalogTests",
            dependencies: ["CatalogCore", "CityEvents", "CityKafka", "CityRuntime", "CityTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/CatalogTests",
            exclude: ["Python"]
        ),
        .testTarget(
            name: "IndicatorsTests",
            dependencies: ["IndicatorsCore", "CityEvents", "CityKafka", "CityRuntime", "CityTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/IndicatorsTests"
        ),
        .testTarget(
            name: "NotificationsTests",
            dependencies: [
                "NotificationsCore", "CityEvents", "CityKafka", "CityRuntime", "CityTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/NotificationsTests",
            exclude: ["Service/Support/webhook_receiver.py"]
        ),
        .testTarget(
            name: "CityTopicsTests",
            dependencies: ["CityEvents", "CityKafka", "CityRuntime", "CityTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/CityTopicsTests"
        ),
    ]
)
