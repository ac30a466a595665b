@testable import LambdaSim
import Testing

@Suite("Flush lines in sandbox output", .timeLimit(.minutes(5)))
struct FlushLineTests {
    private func parse(_ text: String) -> FlushLine? {
        FlushLine.parse(Array(text.utf8)[...])
    }

    @Test("start and end lines, any key order, whitespace and extra keys")
    func parsesBothPhases() {
        #expect(parse(#"{"event":"otel.lambda.flush.start","requestId":"r1"}"#) == FlushLine(phase: .start, requestId: "r1"))
        #expect(
            parse(#"{ "durationMs" : 12.5, "outcome":"ok", "extra": [1, {"a": 2}], "requestId" : "r1", "event" : "otel.lambda.flush.end" }"#)
                == FlushLine(phase: .end, requestId: "r1", outcome: "ok", durationMs: 12.5)
        )
    }

    @Test("a missing requestId, a shutdown flush and a log prefix")
    func toleratesVariants() {
        #expect(parse(#"{"event":"otel.lambda.flush.start"}"#) == FlushLine(phase: .start, requestId: nil))
        #expect(parse(#"{"event":"otel.lambda.flush.end","requestId":"shutdown","outcome":"timeout"}"#)?.requestId == "shutdown")
        #expect(parse(#"2026-01-01T00:00:00Z INFO {"event":"otel.lambda.flush.start","requestId":"r2"}"#)?.requestId == "r2")
    }

    @Test("other lines are not flushes")
    func ignoresOthers() {
        #expect(parse("hello") == nil)
        #expect(parse(#"{"event":"otel.lambda.flush.middle","requestId":"r"}"#) == nil)
        #expect(parse(#"{"event":"other","note":"otel.lambda.flush.start"}"#) == nil)
        #expect(parse(#"{"event":"otel.lambda.flush.start""#) == nil)
    }
}
