import NIOCore
import NIOPosix
import OTLPProto
import OTLPReceiver
import Testing

@Suite("OTLPReceiver faults", .timeLimit(.minutes(2)))
struct ReceiverFaultTests {
    static let spans = OTLPPayloads.traces(spansPerResource: 5)

    @Test("a stall delays the answer without blocking the event loop, and its items count when it answers")
    func stall() async throws {
        // One event loop for the receiver, so the other connection is served by the very loop that holds the stall.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await stall(on: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    private func stall(on group: MultiThreadedEventLoopGroup) async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.eventLoopGroup = group
        let stall = Duration.milliseconds(800)
        configuration.faults = ReceiverFaults(stall: .init(every: 2, duration: stall))

        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { a in
                try await withConnection(to: receiver) { b in
                    #expect(try await a.export(.traces, Self.spans).get().status == 200)  // #1: not stalled

                    let clock = ContinuousClock()
                    let start = clock.now
                    let stalled = a.export(.traces, Self.spans)  // #2: stalled
                    #expect(await receiver.wait(timeout: .seconds(10)) { $0.faults.stalled == 1 })
                    #expect(receiver.summary.traces.items == 5)  // not counted yet

                    // #3 on the other connection is answered while #2 is still stalled.
                    #expect(try await b.export(.traces, Self.spans).get().status == 200)
                    #expect(receiver.summary.traces.items == 10)
                    #expect(clock.now - start < stall)

                    let answer = try await stalled.get()
                    #expect(answer.status == 200)
                    #expect(clock.now - start >= stall)
                    #expect(receiver.summary.traces.items == 15)
                    #expect(receiver.summary.traces.acceptedRequests == 3)
                }
            }
        }
    }

    @Test("a stalled request whose client leaves is not counted")
    func stallAbandoned() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(stall: .init(every: 1, duration: .seconds(60)))
        try await withReceiver(configuration) { receiver in
            let connection = try await TestHTTPConnection.connect(port: receiver.port)
            let stalled = connection.export(.traces, Self.spans)
            #expect(await receiver.wait(timeout: .seconds(10)) { $0.faults.stalled == 1 })
            await connection.close()
            await #expect(throws: ConnectionClosedError.self) { try await stalled.get() }
            #expect(await receiver.wait(timeout: .seconds(10)) { $0.abandonedRequests == 1 })
            #expect(receiver.summary.traces.items == 0)
            #expect(receiver.summary.traces.acceptedRequests == 0)
        }
    }

    @Test("a failure answers its status, Retry-After and a google.rpc.Status, and its items do not count")
    func failure() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(
            failure: .init(every: 2, status: 503, retryAfterSeconds: 3, message: "try later")
        )
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                #expect(try await connection.export(.traces, Self.spans).get().status == 200)
                let failed = try await connection.export(.traces, Self.spans).get()
                #expect(failed.status == 503)
                #expect(failed.header("retry-after") == "3")
                #expect(failed.header("content-type") == "application/x-protobuf")
                #expect(rpcStatusCode(failed.body) == 14)  // UNAVAILABLE
                #expect(failed.body == RPCStatus(code: 14, message: "try later").serialized())
                #expect(try await connection.export(.traces, Self.spans).get().status == 200)

                // Switch at run time: every request gets a 429 without Retry-After; the ordinal restarts.
                receiver.setFaults(ReceiverFaults(failure: .init(every: 1, status: 429)))
                let throttled = try await connection.export(.logs, OTLPPayloads.logs(recordsPerResource: 2)).get()
                #expect(throttled.status == 429)
                #expect(throttled.header("retry-after") == nil)
                #expect(rpcStatusCode(throttled.body) == 8)  // RESOURCE_EXHAUSTED

                for (status, code) in [(400, 3), (500, 13)] {
                    receiver.setFaults(ReceiverFaults(failure: .init(every: 1, status: status)))
                    let response = try await connection.export(.traces, Self.spans).get()
                    #expect(response.status == status)
                    #expect(rpcStatusCode(response.body) == code)
                }

                receiver.setFaults(.none)
                #expect(receiver.faults.isEmpty)
                #expect(try await connection.export(.traces, Self.spans).get().status == 200)

                let summary = receiver.summary
                #expect(summary.traces.items == 15)
                #expect(summary.traces.requests == 6)
                #expect(summary.traces.failedRequests == 3)
                #expect(summary.logs.items == 0)
                #expect(summary.logs.failedRequests == 1)
                #expect(summary.faults.failed == 4)
            }
        }
    }

    @Test("a drop closes the connection without an answer")
    func drop() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(drop: .init(every: 2))
        try await withReceiver(configuration) { receiver in
            let connection = try await TestHTTPConnection.connect(port: receiver.port)
            #expect(try await connection.export(.traces, Self.spans).get().status == 200)
            await #expect(throws: ConnectionClosedError.self) {
                try await connection.export(.traces, Self.spans).get()
            }
            try await connection.closed.get()

            try await withConnection(to: receiver) { again in
                let response = try await again.export(.traces, Self.spans).get()  // #3
                #expect(response.status == 200)
            }
            let summary = receiver.summary
            #expect(summary.faults.dropped == 1)
            #expect(summary.traces.failedRequests == 1)
            #expect(summary.traces.items == 10)
        }
    }

    @Test("garbage answers a 200 whose body is not an export response; the items count")
    func garbage() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(garbage: .init(every: 1, kind: .invalidProtobuf))
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                let invalid = try await connection.export(.traces, Self.spans).get()
                #expect(invalid.status == 200)
                #expect(invalid.header("content-type") == "application/x-protobuf")
                #expect(invalid.body == OTLPPayloads.malformed)

                receiver.setFaults(ReceiverFaults(garbage: .init(every: 1, kind: .html)))
                let html = try await connection.export(.traces, Self.spans).get()
                #expect(html.status == 200)
                #expect(html.header("content-type")?.hasPrefix("text/html") == true)
                #expect(String(decoding: html.body, as: UTF8.self).contains("<html>"))

                // A malformed request is still a 400.
                #expect(try await connection.export(.traces, OTLPPayloads.malformed).get().status == 400)

                let summary = receiver.summary
                #expect(summary.faults.garbage == 2)
                #expect(summary.traces.items == 10)
                #expect(summary.traces.malformedRequests == 1)
            }
        }
    }

    @Test("a partial success answers partial_success and counts only the accepted items")
    func partialSuccess() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(partialSuccess: .init(every: 1, rejected: 2, message: "two too many"))
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                let response = try await connection.export(.traces, Self.spans).get()
                #expect(response.status == 200)
                #expect(
                    response.body
                        == OTLPExportResponse.serialized(
                            .traces, partialSuccess: OTLPPartialSuccess(rejected: 2, errorMessage: "two too many")
                        )
                )
                // More rejected than sent: the counters clamp to what the request carried.
                receiver.setFaults(ReceiverFaults(partialSuccess: .init(every: 1, rejected: 100)))
                #expect(try await connection.export(.traces, Self.spans).get().status == 200)

                let summary = receiver.summary
                #expect(summary.traces.items == 3)
                #expect(summary.traces.rejectedItems == 7)
                #expect(summary.traces.acceptedRequests == 2)
                #expect(summary.faults.partialSuccess == 2)
            }
        }
    }

    @Test("every Nth counts requests across signals; drop beats failure beats garbage beats partial success")
    func ordinalsAndPriority() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(
            failure: .init(every: 3, status: 503),
            drop: .init(every: 6),
            partialSuccess: .init(every: 2, rejected: 1)
        )
        try await withReceiver(configuration) { receiver in
            var statuses: [String] = []
            for ordinal in 1...6 {
                let signal = OTLPSignal.allCases[ordinal % 3]
                let body: [UInt8] =
                    switch signal {
                    case .traces: OTLPPayloads.traces(spansPerResource: 2)
                    case .metrics: OTLPPayloads.metrics(metricsPerResource: 1, pointsPerMetric: 2)
                    case .logs: OTLPPayloads.logs(recordsPerResource: 2)
                    }
                let connection = try await TestHTTPConnection.connect(port: receiver.port)
                do {
                    let response = try await connection.export(signal, body).get()
                    let partial =
                        response.status == 200
                        && response.body != OTLPExportResponse.serialized(signal, partialSuccess: nil)
                    statuses.append(partial ? "\(response.status)p" : "\(response.status)")
                } catch is ConnectionClosedError {
                    statuses.append("dropped")
                }
                await connection.close()
            }
            #expect(statuses == ["200", "200p", "503", "200p", "200", "dropped"])
            let faults = receiver.summary.faults
            #expect(faults.partialSuccess == 2)
            #expect(faults.failed == 1)
            #expect(faults.dropped == 1)
        }
    }

    @Test("a stall combines with a failure: the failure is answered late")
    func stallThenFailure() async throws {
        var configuration = OTLPReceiver.Configuration()
        let stall = Duration.milliseconds(300)
        configuration.faults = ReceiverFaults(
            stall: .init(every: 1, duration: stall),
            failure: .init(every: 1, status: 500)
        )
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await connection.export(.traces, Self.spans).get()
                #expect(response.status == 500)
                #expect(clock.now - start >= stall)
                #expect(receiver.summary.faults.stalled == 1)
                #expect(receiver.summary.faults.failed == 1)
                #expect(receiver.summary.traces.items == 0)
            }
        }
    }
}
