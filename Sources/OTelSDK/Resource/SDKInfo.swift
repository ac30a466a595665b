/// Identity of this SDK, as reported in `telemetry.sdk.*` resource attributes and the exporter's User-Agent.
public enum SDKInfo {
    public static let name = "swift-lambda-otel"
    public static let language = "swift"
    public static let version = "0.1.0"
}
