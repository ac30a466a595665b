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
        guard let raw = environment.string(name) else { return [] }
        var result: [Attribute] = []
        for pair in raw.split(separator: ",", omittingEmptySubsequences: true) {
            guard let separator = pair.firstIndex(of: "=") else {
                environment.warnMalformed(name, raw, expected: "a list of key=value pairs", defaultDescription: "(no attributes from it)")
                return []
            }
            let key = pair[..<separator].trimmingWhitespace()
            let rawValue = pair[pair.index(after: separator)...].trimmingWhitespace()
            guard !key.isEmpty, let value = rawValue.percentDecoded() else {
                environment.warnMalformed(name, raw, expected: "a list of key=value pairs with percent-encoded values", defaultDescription: "(no attributes from it)")
                return []
            }
            result.append(Attribute(key, .string(value)))
        }
        return result
    }

    /// The last path component of the running executable, or `swift` when unknown.
    public static func currentExecutableName() -> String {
        guard let path = CommandLine.arguments.first, !path.isEmpty else { return "swift" }
        return path.split(separator: "/").last.map(String.init) ?? "swift"
    }
}

extension String {
    /// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
    func percentDecoded() -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// The value of one ASCII hex digit.
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
