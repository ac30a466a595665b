import OTelSDK

extension EntityHandler {
    /// The work range the handler draws from when `EXAMPLE_WORK_MS` is unset or malformed.
    public static let defaultWorkMilliseconds = 25...200

    /// The handler configured by `EXAMPLE_WORK_MS`: simulated work per request, `N` or `MIN-MAX` milliseconds.
    /// A malformed value is reported through `environment` and ``defaultWorkMilliseconds`` is used.
    public init(environment: OTelEnvironment) {
        self.init(workMilliseconds: Self.workRange(environment))
    }

    private static func workRange(_ environment: OTelEnvironment) -> ClosedRange<Int> {
        guard let text = environment.string("EXAMPLE_WORK_MS") else { return defaultWorkMilliseconds }
        let bounds = text.split(separator: "-").compactMap { Int($0) }
        switch bounds.count {
        case 1 where bounds[0] >= 0: return bounds[0]...bounds[0]
        case 2 where 0 <= bounds[0] && bounds[0] <= bounds[1]: return bounds[0]...bounds[1]
        default:
            environment.warnMalformed("EXAMPLE_WORK_MS", text, expected: "N or MIN-MAX milliseconds", defaultDescription: "25-200")
            return defaultWorkMilliseconds
        }
    }
}
