import OTelSDK
import OTelTesting
import Testing

@Suite("Samplers", .timeLimit(.minutes(2)))
struct SamplerTests {
    @Test("trace-ID ratio samples about the ratio, deterministically")
    func ratio() {
        let sampler = TraceIDRatioBasedSampler(ratio: 0.25)
        let generator = RandomIDGenerator()
        let ids = (0..<20_000).map { _ in generator.newTraceID() }
        let sampled = ids.filter { sampler.shouldSample(parent: nil, traceID: $0, name: "x", kind: .internal) == .recordAndSample }
        #expect((4_400...5_600).contains(sampled.count))
        #expect(ids.prefix(100).map { sampler.shouldSample(parent: nil, traceID: $0, name: "x", kind: .internal) } == ids.prefix(100).map { sampler.shouldSample(parent: nil, traceID: $0, name: "y", kind: .server) })
        #expect(TraceIDRatioBasedSampler(ratio: 0).shouldSample(parent: nil, traceID: ids[0], name: "x", kind: .internal) == .drop)
        #expect(TraceIDRatioBasedSampler(ratio: 1).shouldSample(parent: nil, traceID: ids[0], name: "x", kind: .internal) == .recordAndSample)
    }

    @Test("OTEL_TRACES_SAMPLER selects the sampler; bad values warn and fall back", arguments: [
        ("always_on", "AlwaysOnSampler"),
        ("always_off", "AlwaysOffSampler"),
        ("traceidratio", "TraceIDRatioBased{0.5}"),
        ("parentbased_always_on", "ParentBased{root:AlwaysOnSampler}"),
        ("parentbased_always_off", "ParentBased{root:AlwaysOffSampler}"),
        ("parentbased_traceidratio", "ParentBased{root:TraceIDRatioBased{0.5}}"),
        ("bogus", "ParentBased{root:AlwaysOnSampler}"),
    ])
    func configuration(name: String, expected: String) {
        let capture = LogCapture()
        let sampler = SamplerConfiguration.sampler(from: OTelEnvironment(["OTEL_TRACES_SAMPLER": name, "OTEL_TRACES_SAMPLER_ARG": "0.5"], diagnostics: capture.logger))
        #expect(sampler.description == expected)
        #expect(capture.messages.isEmpty == (name != "bogus"))
    }

    @Test("a ratio outside 0...1 warns and uses 1.0")
    func badRatio() {
        let capture = LogCapture()
        let sampler = SamplerConfiguration.sampler(from: OTelEnvironment(["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.5"], diagnostics: capture.logger))
        #expect(sampler.description == "TraceIDRatioBased{1.0}")
        #expect(capture.messages.first?.contains("OTEL_TRACES_SAMPLER_ARG='1.5'") == true)
    }
}
