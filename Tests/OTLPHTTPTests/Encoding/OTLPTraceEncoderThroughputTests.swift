import OTLPProto
import OTelSDK
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import OTLPHTTP

/// Encoder throughput, for manual runs only (timings in a debug or sanitizer build mean little):
///
///     OTLP_ENCODER_BENCHMARK=1 swift test -c release --filter OTLPTraceEncoderThroughput
///
/// With `OTLP_ENCODER_BENCHMARK=all` it also times the one-struct-tree reference encoder and the
/// struct building alone. Rates are per CPU-second of the encoding thread, which other load on
/// the machine inflates less than wall time.
@Suite("OTLPTraceEncoder throughput", .enabled(if: getenv("OTLP_ENCODER_BENCHMARK") != nil), .timeLimit(.minutes(10)))
struct OTLPTraceEncoderThroughputTests {
    /// 100k spans, each with 5 string attributes, as a typical instrumented request produces.
    static let spans: [SpanData] = {
        let resource = Resource(attributes: [
            Attribute("service.name", .string("benchmark")),
            Attribute("telemetry.sdk.language", .string("swift")),
        ])
        let scope = InstrumentationScope(name: "benchmark", version: "1.0.0")
        return (0..<100_000).map { index in
            let id = UInt64(index)
            let traceID = TraceID(high: id &* 0x9E37_79B9_7F4A_7C15, low: id | 1)
            let context = SpanContext(traceID: traceID, spanID: SpanID(id &+ 1), traceFlags: .sampled)
            let start: UInt64 = 1_700_000_000_000_000_000 &+ id &* 1_000
            let attributes: [Attribute] = [
                Attribute("http.request.method", .string("GET")),
                Attribute("url.path", .string("/api/v1/items/\(index)")),
                Attribute("http.route", .string("/api/v1/items/{id}")),
                Attribute("server.address", .string("api.example.com")),
                Attribute("user_agent.original", .string("Mozilla/5.0 (X11; Linux x86_64) benchmark/1.0")),
            ]
            return SpanData(
                name: "GET /api/v1/items/{id}", context: context, parentSpanID: SpanID(id &+ 7), kind: .server,
                startTimeNanos: start, endTimeNanos: start &+ 500_000, attributes: attributes,
                resource: resource, scope: scope)
        }
    }()

    /// CPU time of the calling thread, in seconds: unlike wall time, not inflated by other load.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Encodes the spans `rounds` times; returns the best spans per CPU-second.
    private func measure(_ label: String, rounds: Int = 9, _ encode: ([SpanData]) -> [UInt8]) -> Double {
        let spans = Self.spans
        var bestWall = Double.infinity
        var bestCPU = Double.infinity
        var size = 0
        for _ in 0..<rounds {
            let clock = ContinuousClock()
            let start = clock.now
            let cpuStart = Self.threadCPUSeconds()
            let bytes = encode(spans)
            let cpu = Self.threadCPUSeconds() - cpuStart
            let wall = clock.now - start
            size = bytes.count
            bestCPU = min(bestCPU, cpu)
            bestWall = min(bestWall, Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
        }
        let rate = Double(spans.count) / bestCPU
        print(
            "\(label): \(spans.count) spans, best of \(rounds): \(Int(rate)) spans/CPU-s (\(Int(bestCPU * 1e9) / spans.count) ns/span), "
                + "wall \(Int(Double(spans.count) / bestWall)) spans/s; \(size) bytes, \(size / spans.count) B/span")
        return rate
    }

    @Test("encode 100k spans with 5 string attributes")
    func throughput() throws {
        _ = Self.spans  // build the input outside the timing
        let rate = measure("OTLPTraceEncoder.encode, batches of 512 (the default batch size)") { spans in
            var total = 0
            for start in stride(from: 0, to: spans.count, by: 512) {
                total &+= OTLPTraceEncoder.encode(Array(spans[start..<min(start + 512, spans.count)])).count
            }
            return [UInt8](repeating: 0, count: total)
        }
        _ = measure("OTLPTraceEncoder.encode, one request of 100k spans") { OTLPTraceEncoder.encode($0) }
        if String(cString: getenv("OTLP_ENCODER_BENCHMARK")) == "all" {
            _ = measure("  reference: one struct tree, one pack") { ReferenceTraceEncoder.encode($0) }
            _ = measure("  building the structs only, no packing") { spans in
                var builder = OTLPMessageBuilder(arena: ProtobufCArena())
                var checksum = 0
                for span in spans {
                    builder.arena.reset()
                    checksum &+= builder.span(span).pointee.n_attributes
                }
                return [UInt8(truncatingIfNeeded: checksum)]
            }
        }
        #expect(rate > 0)
    }
}
