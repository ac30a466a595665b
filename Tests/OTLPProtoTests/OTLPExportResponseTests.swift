import OTLPProto
import Testing

@Suite("OTLPExportResponse", .timeLimit(.minutes(2)))
struct OTLPExportResponseTests {
    @Test("full success serializes to an empty body and decodes to nil", arguments: OTLPSignal.allCases)
    func fullSuccess(signal: OTLPSignal) throws {
        let body = OTLPExportResponse.serialized(signal, partialSuccess: nil)
        #expect(body.isEmpty)
        #expect(try OTLPExportResponse.partialSuccess(signal, protobuf: body) == nil)
    }

    @Test("empty body is full success", arguments: OTLPSignal.allCases)
    func emptyBody(signal: OTLPSignal) throws {
        #expect(try OTLPExportResponse.partialSuccess(signal, protobuf: []) == nil)
    }

    @Test("partial success round trip", arguments: OTLPSignal.allCases)
    func partialSuccess(signal: OTLPSignal) throws {
        let partial = OTLPPartialSuccess(rejected: 42, errorMessage: "42 \(signal.rawValue) items were too old")
        let body = OTLPExportResponse.serialized(signal, partialSuccess: partial)
        #expect(!body.isEmpty)
        #expect(try OTLPExportResponse.partialSuccess(signal, protobuf: body) == partial)
    }

    @Test("a present but empty partial success is returned as is", arguments: OTLPSignal.allCases)
    func emptyPartialSuccess(signal: OTLPSignal) throws {
        let partial = OTLPPartialSuccess(rejected: 0, errorMessage: "")
        let body = OTLPExportResponse.serialized(signal, partialSuccess: partial)
        #expect(body == [0x0A, 0x00])  // field 1, length 0
        #expect(try OTLPExportResponse.partialSuccess(signal, protobuf: body) == partial)
    }

    @Test("known wire bytes")
    func wireBytes() throws {
        // partial_success { rejected_* = 2, error_message = "x" }
        let bytes: [UInt8] = [0x0A, 0x05, 0x08, 0x02, 0x12, 0x01, 0x78]
        for signal in OTLPSignal.allCases {
            #expect(OTLPExportResponse.serialized(signal, partialSuccess: .init(rejected: 2, errorMessage: "x")) == bytes)
            #expect(try OTLPExportResponse.partialSuccess(signal, protobuf: bytes) == .init(rejected: 2, errorMessage: "x"))
        }
    }

    @Test("malformed bytes throw", arguments: OTLPSignal.allCases)
    func malformed(signal: OTLPSignal) {
        #expect(throws: OTLPDecodingError.self) {
            try OTLPExportResponse.partialSuccess(signal, protobuf: [0x0A, 0x05, 0x08])
        }
    }

    @Test("signal paths")
    func paths() {
        #expect(OTLPSignal.traces.path == "/v1/traces")
        #expect(OTLPSignal.metrics.path == "/v1/metrics")
        #expect(OTLPSignal.logs.path == "/v1/logs")
        #expect(OTLPSignal(rawValue: "metrics") == .metrics)
    }
}
