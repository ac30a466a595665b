/// Builds the default resource from the environment, as the OpenTelemetry specification prescribes:
///
/// - `telemetry.sdk.name`, `telemetry.sdk.language`, `telemetry.sdk.version` always;
/// - `OTEL_RESOURCE_ATTRIBUTES`: `key=value` pairs separated by commas, values percent-decoded.
///   If any pair is malformed the whole variable is ignored (per spec) with a warning naming it;
/// - `service.name` from `OTEL_SERVICE_NAME`, which wins over `OTEL_RESOURCE_ATTRIBUTES`; when neither
///   sets it, `unknown_service:<executable name>`.
public struct EnvironmentResourceDetector: Sendable {
    public var environment: OTelEnvironment
    /// The executable name used for the `unknown_service:` fallback.
    public var executableName: String

    public init(environment: OTelEnvironment, executableName: String = EnvironmentResourceDetector.currentExecutableName()) {
        self.environment = environment
        self.executableName = executableName
    }

    public func detect() -> Resource {
        var attributes = [
            Attribute("telemetry.sdk.name", .string(SDKInfo.name)),
            Attribute("telemetry.sdk.language", .string(SDKInfo.language)),
            Attribute("telemetry.sdk.version", .string(SDKInfo.version)),
        ]
        attributes += parseResourceAttributes()
        if let serviceName = environment.string("OTEL_SERVICE_NAME") {
            attributes.append(Attribute("service.name", .string(serviceName)))
        } else if !attributes.contains(where: { $0.key == "service.name" }) {
            attributes.append(Attribute("service.name", .string("unknown_service:\(executableName)")))
        }
        return Resource(attributes: attributes)
    }

    private func parseResourceAttributes() -> [Attribute] {
        let name = "OTEL_RESOURCE_ATTRIBUTES"
        let (pairs, malformed) = environment.keyValueList(name)
        guard malformed.isEmpty else {
            environment.warnMalformed(name, environment.string(name) ?? "", expected: "a list of key=value pairs with percent-encoded values (entry \(malformed[0]) is not)", defaultDescription: "(no attributes from it)")
            return []
        }
        return pairs.map { Attribute($0.key, .string($0.value)) }
    }

    /// The last path component of the running executable, or `swift` when unknown.
    public static func currentExecutableName() -> String {
        guard let path = CommandLine.arguments.first, !path.isEmpty else { return "swift" }
        return path.split(separator: "/").last.map(String.init) ?? "swift"
    }
}
