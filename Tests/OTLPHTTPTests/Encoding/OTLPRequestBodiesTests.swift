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

    @Test("after an unusually large request, the memory kept between requests goes back under its bound", arguments: [true, false])
    func largeRequestReleased(gzip: Bool) throws {
        let bodies = try OTLPRequestBodies(gzipLevel: gzip ? 1 : nil)
        let bound = OTLPEncodingWorkspace.retainedBytes
        // 40 spans with the same 512 KiB attribute: a 20 MiB request. Random text, which gzip cannot shrink below
        // two thirds (and a repeat 512 KiB back is far outside its window).
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let payload = String(decoding: (0..<(512 << 10)).map { _ in alphabet[Int(generator.next() % 36)] }, as: UTF8.self)
        let large = (0..<40).map { index in
            Fixtures.simple(spanID: UInt64(index + 1), attributes: [Attribute("payload", .string(payload))])
        }
        let big = try bodies.body { OTLPTraceEncoder.encode(large, into: &$0) }
        #expect(big.readableBytes > 3 * bound, "the large request itself is far larger than the bound")
        let small = Self.batches[3]
        for _ in 0..<2 {
            _ = try bodies.body { OTLPTraceEncoder.encode(small, into: &$0) }
        }
        // Three workspace memories within the bound each, two body buffers the size of the small requests.
        #expect(bodies.retainedCapacity <= 3 * bound + (1 << 20))
    }

    private static func decoded(_ body: ByteBuffer, gzip: Bool) throws -> [UInt8] {
        let bytes = Array(buffer: body)
        return gzip ? try Gzip.decompress(bytes, maxOutputBytes: 1 << 24) : bytes
    }
}
