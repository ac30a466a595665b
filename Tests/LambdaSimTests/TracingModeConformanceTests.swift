import Foundation
import LambdaSim
import Testing

/// The trace header an invocation gets depends on the function's tracing mode, as on Lambda (contract §1.3a):
/// pass-through forwards the caller's header or sends an unsampled one, active samples unless the caller said 0.
@Suite("Trace header by tracing mode", .timeLimit(.minutes(2)))
struct TracingModeConformanceTests {
    static let callerSampled = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=1"
    static let callerUnsampled = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=0;Lineage=0a1b2c3d:0"
    static let callerUndecided = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b"

    /// The `Lambda-Runtime-Trace-Id` the runtime got for each invocation, sent with the given caller headers.
    private func traceHeaders(
        _ tracing: LambdaSimConfiguration.TracingMode,
        _ form: LambdaSimConfiguration.TraceHeaderForm = .full,
        callers: [String?]
    ) async throws -> [String] {
        let configuration = try SimTestSupport.configuration {
            $0.tracing = tracing
            $0.traceHeaderForm = form
        }
        var headers: [String] = []
        try await SimTestSupport.withSimulator(configuration) { simulator in
            for caller in callers {
                let response = await simulator.invoke(
                    payload: SimTestSupport.payload(#"{"fake":"describe"}"#),
                    headers: caller.map { [("X-Amzn-Trace-Id", $0)] } ?? []
                )
                let next = try #require(SimTestSupport.json(response)["headers"] as? [String: String])
                headers.append(try #require(next["lambda-runtime-trace-id"]))
            }
        }
        return headers
    }

    @Test("pass-through (the default): a fresh unsampled header with Lineage, the caller's forwarded unchanged")
    func passThroughFull() async throws {
        #expect(LambdaSimConfiguration(bootstrap: "b").tracing == .passThrough)
        #expect(LambdaSimConfiguration(bootstrap: "b").traceHeaderForm == .full)
        let headers = try await traceHeaders(.passThrough, callers: [nil, nil, Self.callerSampled, Self.callerUnsampled])
        for fresh in headers[0..<2] {
            #expect(fresh.wholeMatch(of: /Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=[0-9a-f]{8}:0/) != nil, "\(fresh)")
        }
        #expect(headers[0] != headers[1], "every invocation gets its own trace")
        #expect(headers[2] == Self.callerSampled)
        #expect(headers[3] == Self.callerUnsampled)
    }

    @Test("pass-through, root-only form: Root alone, the caller's forwarded unchanged")
    func passThroughRootOnly() async throws {
        let headers = try await traceHeaders(.passThrough, .rootOnly, callers: [nil, Self.callerSampled])
        #expect(headers[0].wholeMatch(of: /Root=1-[0-9a-f]{8}-[0-9a-f]{24}/) != nil, "\(headers[0])")
        #expect(headers[1] == Self.callerSampled)
    }

    @Test("active: Sampled=1 with Lambda's own parent and the caller's root, unless the caller said Sampled=0")
    func active() async throws {
        let headers = try await traceHeaders(.active, .rootOnly, callers: [nil, Self.callerSampled, Self.callerUndecided, Self.callerUnsampled])
        #expect(headers[0].wholeMatch(of: /Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1/) != nil, "\(headers[0])")
        for (header, caller) in zip(headers[1...2], [Self.callerSampled, Self.callerUndecided]) {
            #expect(header.wholeMatch(of: /Root=1-6770a1b2-0123456789abcdef01234567;Parent=[0-9a-f]{16};Sampled=1/) != nil, "\(header)")
            #expect(!header.contains("Parent=1a2b3c4d5e6f7a8b"), "Lambda's segment sits between \(caller) and the function")
        }
        #expect(headers[3] == Self.callerUnsampled)
    }
}
