import Testing

@testable import LambdaLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// These tests change the process environment; nothing else in this target reads or writes `_X_AMZN_TRACE_ID`.
@Suite(.serialized, .timeLimit(.minutes(2))) struct TraceHeaderEnvironmentTests {
    private func header(_ index: Int) -> String {
        "Root=1-5759e988-bd862e3fe1be46a99427\(1000 + index);Parent=53995c3f42cd8ad8;Sampled=1"
    }

    private var exported: String? {
        getenv(TraceHeaderEnvironment.variable).map { String(cString: $0) }
    }

    @Test func exportsEachHeader() {
        for index in 0..<3 {
            TraceHeaderEnvironment.export(header(index))
            #expect(exported == header(index))
        }
    }

    /// The leak this type exists to prevent: `setenv` keeps every distinct value, so each invocation's header would
    /// get new memory. Here the storage is reused: after many distinct headers, two addresses in turn.
    @Test func distinctHeadersReuseTwoBuffers() {
        var addresses = Set<UnsafeMutablePointer<CChar>>()
        for index in 0..<100 {
            TraceHeaderEnvironment.export(header(index))
            addresses.insert(getenv(TraceHeaderEnvironment.variable))
        }
        #expect(addresses.count == 2)
        #expect(exported == header(99))
    }

    @Test func aReadValueStaysIntactUntilTheNextButOneExport() throws {
        TraceHeaderEnvironment.export(header(1))
        let earlier = try #require(getenv(TraceHeaderEnvironment.variable))
        TraceHeaderEnvironment.export(header(2))
        #expect(String(cString: earlier) == header(1))
        #expect(exported == header(2))
    }

    @Test func aHeaderLongerThanTheBuffersIsExportedWhole() {
        let long = header(0) + ";Lineage=" + String(repeating: "a87bd80c:0|", count: 100)
        TraceHeaderEnvironment.export(long)
        #expect(exported == long)
        TraceHeaderEnvironment.export(header(1))
        #expect(exported == header(1))
    }

    @Test func nilRemovesTheVariableAndALaterHeaderRestoresIt() {
        TraceHeaderEnvironment.export(header(1))
        TraceHeaderEnvironment.export(nil)
        #expect(exported == nil)
        TraceHeaderEnvironment.export(header(2))
        #expect(exported == header(2))
    }
}
