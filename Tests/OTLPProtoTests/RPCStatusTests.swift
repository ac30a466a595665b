import OTLPProto
import Testing

@Suite("RPCStatus", .timeLimit(.minutes(2)))
struct RPCStatusTests {
    @Test("round trip")
    func roundTrip() throws {
        let status = RPCStatus(code: 8, message: "resource exhausted: slow down ✋", detailsCount: 0)
        #expect(try RPCStatus(protobuf: status.serialized()) == status)
    }

    @Test("details count survives a round trip")
    func details() throws {
        let status = RPCStatus(code: 14, message: "unavailable", detailsCount: 2)
        #expect(try RPCStatus(protobuf: status.serialized()) == status)
    }

    @Test("known wire bytes")
    func wireBytes() throws {
        // code = 3 (field 1, varint), message = "bad" (field 2, length-delimited).
        let bytes: [UInt8] = [0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]
        #expect(RPCStatus(code: 3, message: "bad").serialized() == bytes)
        #expect(try RPCStatus(protobuf: bytes) == RPCStatus(code: 3, message: "bad"))
    }

    @Test("empty body is the default status")
    func empty() throws {
        #expect(try RPCStatus(protobuf: []) == RPCStatus(code: 0, message: ""))
        #expect(RPCStatus(code: 0, message: "").serialized().isEmpty)
    }

    @Test("malformed bytes throw")
    func malformed() {
        #expect(throws: OTLPDecodingError.self) { try RPCStatus(protobuf: [0x12, 0x10, 0x41]) }
        let error = #expect(throws: OTLPDecodingError.self) { try RPCStatus(protobuf: [0xFF, 0xFF, 0xFF]) }
        #expect(error?.messageType == "google.rpc.Status")
        #expect(error?.description.contains("google.rpc.Status") == true)
    }
}
