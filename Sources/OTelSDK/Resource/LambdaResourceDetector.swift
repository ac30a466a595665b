/// The resource of a Lambda function, from the variables Lambda sets (OpenTelemetry cloud and FaaS conventions):
///
/// | attribute | from |
/// |---|---|
/// | `cloud.provider` | `aws` |
/// | `cloud.platform` | `aws_lambda` |
/// | `cloud.region` | `AWS_REGION` |
/// | `faas.name` | `AWS_LAMBDA_FUNCTION_NAME` |
/// | `faas.version` | `AWS_LAMBDA_FUNCTION_VERSION` |
/// | `faas.instance` | `AWS_LAMBDA_LOG_STREAM_NAME` |
/// | `faas.max_memory` | `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` (MiB) × 1,048,576, in bytes (left out when not a positive integer, or too large) |
/// | `aws.log.group.names` | `AWS_LAMBDA_LOG_GROUP_NAME` |
///
/// Absent variables add nothing; a malformed one is left out, never a crash. `service.name` is the function name unless `OTEL_SERVICE_NAME` or
/// `OTEL_RESOURCE_ATTRIBUTES` set it. Pass the result as the providers' `additionalResource`.
public struct LambdaResourceDetector: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = OTelEnvironment.processEnvironment()) {
        self.environment = environment
    }

    public func detect() -> Resource {
        guard let functionName = environment["AWS_LAMBDA_FUNCTION_NAME"] else { return .empty }
        var attributes = [
            Attribute("cloud.provider", .string("aws")),
            Attribute("cloud.platform", .string("aws_lambda")),
            Attribute("faas.name", .string(functionName)),
        ]
        let strings = [
            ("cloud.region", "AWS_REGION"),
            ("faas.version", "AWS_LAMBDA_FUNCTION_VERSION"),
            ("faas.instance", "AWS_LAMBDA_LOG_STREAM_NAME"),
        ]
        for (key, variable) in strings {
            if let value = environment[variable], !value.isEmpty {
                attributes.append(Attribute(key, .string(value)))
            }
        }
        if let bytes = maxMemoryBytes {
            attributes.append(Attribute("faas.max_memory", .int(bytes)))
        }
        if !setsServiceName {
            attributes.append(Attribute("service.name", .string(functionName)))
        }
        if let group = environment["AWS_LAMBDA_LOG_GROUP_NAME"], !group.isEmpty {
            attributes.append(Attribute("aws.log.group.names", .stringArray([group])))
        }
        return Resource(attributes: attributes)
    }

    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` (MiB) in bytes; nil unless it is a positive integer whose byte count fits in
    /// an `Int64`.
    private var maxMemoryBytes: Int64? {
        guard let mebibytes = environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"].flatMap({ Int64($0) }), mebibytes > 0 else { return nil }
        let (bytes, overflow) = mebibytes.multipliedReportingOverflow(by: 1_048_576)
        return overflow ? nil : bytes
    }

    /// Whether the OpenTelemetry variables name the service themselves, read as ``EnvironmentResourceDetector`` reads
    /// them (a malformed `OTEL_RESOURCE_ATTRIBUTES` is ignored as a whole, so it names nothing).
    private var setsServiceName: Bool {
        let variables = OTelEnvironment(environment, diagnostics: DiagnosticLogger.disabled)
        if variables.string("OTEL_SERVICE_NAME") != nil { return true }
        let (pairs, malformed) = variables.keyValueList("OTEL_RESOURCE_ATTRIBUTES")
        return malformed.isEmpty && pairs.contains { $0.key == "service.name" }
    }
}
