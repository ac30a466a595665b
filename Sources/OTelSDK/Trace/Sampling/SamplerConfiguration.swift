/// Reads `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`.
///
/// Supported: `always_on`, `always_off`, `traceidratio`, `parentbased_always_on` (default),
/// `parentbased_always_off`, `parentbased_traceidratio`. An unknown sampler or a ratio outside
/// 0...1 is reported with the variable's name and the default (`parentbased_always_on`, ratio 1.0) applies.
public enum SamplerConfiguration {
    public static func sampler(from environment: OTelEnvironment) -> any Sampler {
        let name = environment.string("OTEL_TRACES_SAMPLER")?.lowercased() ?? "parentbased_always_on"
        func ratio() -> Double {
            guard let raw = environment.string("OTEL_TRACES_SAMPLER_ARG") else { return 1.0 }
            guard let value = Double(raw), value >= 0, value <= 1 else {
                environment.warnMalformed("OTEL_TRACES_SAMPLER_ARG", raw, expected: "a ratio between 0 and 1", defaultDescription: "1.0")
                return 1.0
            }
            return value
        }
        switch name {
        case "always_on": return AlwaysOnSampler()
        case "always_off": return AlwaysOffSampler()
        case "traceidratio": return TraceIDRatioBasedSampler(ratio: ratio())
        case "parentbased_always_on": return ParentBasedSampler(root: AlwaysOnSampler())
        case "parentbased_always_off": return ParentBasedSampler(root: AlwaysOffSampler())
        case "parentbased_traceidratio": return ParentBasedSampler(root: TraceIDRatioBasedSampler(ratio: ratio()))
        default:
            environment.warnMalformed(
                "OTEL_TRACES_SAMPLER", name,
                expected: "one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
                defaultDescription: "parentbased_always_on")
            return ParentBasedSampler(root: AlwaysOnSampler())
        }
    }
}
