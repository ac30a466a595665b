#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The environment of a sandbox's `bootstrap`.
enum LambdaEnvironment {
    /// The simulator's own environment, then the Lambda variables, then `configuration.environment`, then
    /// `AWS_LAMBDA_RUNTIME_API` (which nothing overrides), as `KEY=VALUE` strings.
    static func make(configuration: LambdaSimConfiguration, runtimeAPIPort: Int, epochMilliseconds: Int64) -> [String] {
        var environment = ProcessInfo.processInfo.environment
        let taskRoot = configuration.bootstrap.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let lambda: [String: String] = [
            "AWS_LAMBDA_FUNCTION_NAME": configuration.functionName,
            "AWS_LAMBDA_FUNCTION_VERSION": configuration.functionVersion,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(configuration.memoryMB),
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/\(configuration.functionName)",
            "AWS_LAMBDA_LOG_STREAM_NAME": logStreamName(version: configuration.functionVersion, epochMilliseconds: epochMilliseconds),
            "AWS_REGION": configuration.region,
            "AWS_DEFAULT_REGION": configuration.region,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023",
            "LAMBDA_TASK_ROOT": taskRoot.isEmpty ? "." : taskRoot,
            "_HANDLER": configuration.handler,
            "TZ": ":UTC",
        ]
        environment.merge(lambda) { _, new in new }
        environment.merge(configuration.environment) { _, new in new }
        environment["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:\(runtimeAPIPort)"
        return environment.map { "\($0.key)=\($0.value)" }.sorted()
    }

    /// `YYYY/MM/DD/[<version>]<32 hex>`, as Lambda names log streams.
    static func logStreamName(version: String, epochMilliseconds: Int64) -> String {
        let (year, month, day) = civilDate(daysSinceEpoch: epochMilliseconds / 86_400_000)
        let suffix = UUID().uuidString.lowercased().filter { $0 != "-" }
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)/\(two(month))/\(two(day))/[\(version)]\(suffix)"
    }

    /// Gregorian year, month, day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
