// swift-tools-version:6.1
// Side-by-side benchmarks: this repository's SDK ("ours") against swift-otel 1.6.0 ("theirs").
// Its own package, so that `swift test` at the root never builds swift-otel. Run with ./run.sh.
import PackageDescription

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named explicitly: a path dependency's identity is otherwise its folder's name, which differs per checkout.
        .package(name: "swift-lambda-otel", path: ".."),
        // Only the OTLP/HTTP trait: the gRPC exporter is not compared and would double the build time.
        .package(url: "https://github.com/swift-otel/swift-otel.git", exact: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // Already a dependency of swift-otel: its backends are ServiceLifecycle services.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.4.1"),
    ],
    targets: [
        // Shared helpers: timing, statistics, RSS, the in-process sink.
        .target(
            name: "BenchSupport",
            dependencies: [
                .product(name: "OTLPReceiver", package: "swift-lambda-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "ours-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "OTelSDK", package: "swift-lambda-otel"),
                .product(name: "OTLPHTTP", package: "swift-lambda-otel"),
                .product(name: "OTLPReceiver", package: "swift-lambda-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "swiftotel-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "OTLPReceiver", package: "swift-lambda-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The smallest useful programs: bootstrap, one span, flush, exit (binary size, cold start).
        .executableTarget(
            name: "swiftotel-minimal",
            dependencies: [
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "ours-minimal",
            dependencies: [
                .product(name: "OTelSDK", package: "swift-lambda-otel"),
                .product(name: "OTLPHTTP", package: "swift-lambda-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Lambda micro-benchmarks: example-entity-api's handler (EntityAPI) built on swift-otel and without telemetry,
        // and lambda-bench, which runs them and example-entity-api in lambda-sim (cold start, overhead, memory).
        .executableTarget(
            name: "swiftotel-entity-api",
            dependencies: [
                .product(name: "EntityAPI", package: "swift-lambda-otel"),
                .product(name: "LambdaLifecycle", package: "swift-lambda-otel"),
                .product(name: "OTelSDK", package: "swift-lambda-otel"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "bare-entity-api",
            dependencies: [
                .product(name: "EntityAPI", package: "swift-lambda-otel"),
                .product(name: "LambdaLifecycle", package: "swift-lambda-otel"),
                .product(name: "OTelSDK", package: "swift-lambda-otel"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "lambda-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "EntityAPI", package: "swift-lambda-otel"),
                .product(name: "LambdaSim", package: "swift-lambda-otel"),
                .product(name: "OTLPReceiver", package: "swift-lambda-otel"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
