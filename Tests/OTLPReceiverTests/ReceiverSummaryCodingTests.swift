import OTLPReceiver
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("ReceiverSummary JSON", .timeLimit(.minutes(2)))
struct ReceiverSummaryCodingTests {
    @Test("the summary JSON carries the counts, and JSON written without them still decodes")
    func json() throws {
        var summary = ReceiverSummary()
        summary.traces.items = 5
        summary.traces.distinctItems = 3
        summary.traces.duplicateItems = 2
        let json = try JSONEncoder().encode(summary)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"distinctItems\":3"))
        #expect(text.contains("\"duplicateItems\":2"))
        #expect(try JSONDecoder().decode(ReceiverSummary.self, from: json) == summary)

        let older = """
            {"traces":{"requests":1,"acceptedRequests":1,"items":5,"rejectedItems":0,"resources":1,"metrics":0,\
            "bytesReceived":10,"bytesDecoded":10,"gzipRequests":0,"malformedRequests":0,"rejectedRequests":0,\
            "failedRequests":0},"metrics":{},"logs":{},"faults":{"stalled":0,"failed":0,"dropped":0,"garbage":0,\
            "partialSuccess":0},"unroutedRequests":0,"abandonedRequests":0}
            """
        let decoded = try JSONDecoder().decode(ReceiverSummary.self, from: Data(older.utf8))
        #expect(decoded.traces.items == 5)
        #expect(decoded.traces.bytesReceived == 10)
        #expect(decoded.traces.distinctItems == 0)
        #expect(decoded.traces.duplicateItems == 0)
        #expect(decoded.logs == ReceiverSummary.SignalCounts())
    }
}
