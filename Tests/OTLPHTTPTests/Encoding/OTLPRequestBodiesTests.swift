import NIOCore
import OTelSDK
import OTLPProto
import Testing

@testable import OTLPHTTP

@Suite("OTLPRequestBodies", .timeLimit(.minutes(2)))
struct OTLPRequestBodiesTests {
    typealias Fixtures = TraceEncodingFixtures

    static let batches: [[SpanData]] = [
        (0..<600).map { Fixtures.simple(name: "span-\($0)", spanID: UInt64($0 + 1)) },
        [Fixtures.kitchenSink()],
        [],
        (0..<3).map { Fixtures.simple(spanID: UInt64($0 + 1), attributes: [Attribute("n", .int(Int64($0)))]) },
    ]

    @Test("each body is the encoded request, gzipped or not, also while an earlier body is still held", arguments: [true, false])
    func bodies(gzip: Bool) throws {
        let bodies = try OTLPRequestBodies(gzipLevel: gzip ? 1 : nil)
        var held: [(body: ByteBuffer, expected: [UInt8])] = []
        for (index, batch) in Self.batches.enumerated() {
            let body = try bodies.body { OTLPTraceEncoder.encode(batch, into: &$0) }
            let expected = OTLPTraceEncoder.encode(batch)
            // Keep every second body, as a request still being sent would.
            if index % 2 == 0 { held.append((body, expected)) }
            #expect(try Self.decoded(body, gzip: gzip) == expected)
        }
        for (body, expected) in held {
            #expect(try Self.decoded(body, gzip: gzip) == expected)
        }
        let encoded = OTLPTraceEncoder.encode(Self.batches[1])
        #expect(try Self.decoded(bodies.body(encoded: encoded), gzip: gzip) == encoded)
    }

    private static func decoded(_ body: ByteBuffer, gzip: Bool) throws -> [UInt8] {
        let bytes = Array(buffer: body)
        return gzip ? try Gzip.decompress(bytes, maxOutputBytes: 1 << 24) : bytes
    }
}
