import LambdaSim

/// One build of the entity function and how its sandbox is configured.
struct FunctionBuild: Sendable {
    /// The name in the results: `ours/<strategy>`, `swift-otel`, `none`.
    var name: String
    /// run.sh's column: `ours` or `swift-otel` (the no-telemetry build is listed with ours).
    var impl: String
    /// The executable next to lambda-bench.
    var executable: String
    /// Variables on top of the common ones.
    var environment: [String: String] = [:]

    /// example-entity-api with this repository's SDK, flushing by `strategy`.
    static func ours(_ strategy: String) -> FunctionBuild {
        FunctionBuild(name: "ours/\(strategy)", impl: "ours", executable: "example-entity-api", environment: ["OTEL_LAMBDA_FLUSH_STRATEGY": strategy])
    }

    /// The same function bootstrapping swift-otel 1.6.0 (the lifecycle's default strategy, extension-gated).
    static let swiftOTel = FunctionBuild(name: "swift-otel", impl: "swift-otel", executable: "swiftotel-entity-api")

    /// The same function without telemetry.
    static let none = FunctionBuild(name: "none", impl: "ours", executable: "bare-entity-api")

    /// A simulator running this build in at most one sandbox, exporting to `collector`, with no simulated work
    /// (`EXAMPLE_WORK_MS=0`): what is measured is the runtime, the SDK and the flush, not the handler's sleep.
    func startSimulator(collector: Collector) async throws -> LambdaSimulator {
        var variables = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint,
            "OTEL_SERVICE_NAME": "entity-api",
            "EXAMPLE_WORK_MS": "0",
        ]
        variables.merge(environment) { _, own in own }
        return try await LambdaSimulator.start(configuration: LambdaSimConfiguration(
            bootstrap: try SiblingExecutable.path(executable),
            environment: variables,
            functionName: "entity-api",
            port: 0,
            functionTimeout: .seconds(10),
            gatewayTimeout: .seconds(10),
            maxSandboxes: 1,
            sandboxLog: .discard
        ))
    }
}
