import NIOCore
import NIOHTTP1
import OTLPProto
import OTLPReceiver
import Testing

@Suite("OTLPReceiver HTTP", .timeLimit(.minutes(2)))
struct ReceiverHTTPTests {
    @Test("accepts plain and gzip export requests and counts what they carry")
    func acceptsPlainAndGzip() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let traces = OTLPPayloads.traces(resources: 3, spansPerResource: 4)
                let plain = try await connection.export(.traces, traces).get()
                #expect(plain.status == 200)
                #expect(plain.header("content-type") == "application/x-protobuf")
                #expect(plain.body == OTLPExportResponse.serialized(.traces, partialSuccess: nil))

                let logs = OTLPPayloads.logs(resources: 2, recordsPerResource: 5)
                let compressed = try Gzip.compress(logs)
                let gzip = try await connection.export(.logs, compressed, gzip: true).get()
                #expect(gzip.status == 200)
                #expect(gzip.body == OTLPExportResponse.serialized(.logs, partialSuccess: nil))

                let metrics = OTLPPayloads.metrics(resources: 1, metricsPerResource: 2, pointsPerMetric: 3)
                let expectedMetrics = try OTLPRequestSummary.decode(.metrics, protobuf: metrics)
                #expect(try await connection.export(.metrics, metrics).get().status == 200)

                let summary = receiver.summary
                #expect(summary.traces.requests == 1)
                #expect(summary.traces.acceptedRequests == 1)
                #expect(summary.traces.items == 12)
                #expect(summary.traces.resources == 3)
                #expect(summary.traces.bytesReceived == traces.count)
                #expect(summary.traces.bytesDecoded == traces.count)
                #expect(summary.traces.gzipRequests == 0)

                #expect(summary.logs.requests == 1)
                #expect(summary.logs.items == 10)
                #expect(summary.logs.resources == 2)
                #expect(summary.logs.gzipRequests == 1)
                #expect(summary.logs.bytesReceived == compressed.count)
                #expect(summary.logs.bytesDecoded == logs.count)

                #expect(summary.metrics.items == expectedMetrics.items)
                #expect(summary.metrics.metrics == expectedMetrics.metrics)
                #expect(summary.metrics.resources == 1)

                #expect(summary.totalItems == 22 + expectedMetrics.items)
                #expect(summary.faults.total == 0)
                #expect(summary.unroutedRequests == 0)
            }
        }
    }

    @Test("rejects what is not an OTLP/HTTP protobuf export, and the connection stays usable")
    func rejections() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.maxBodyBytes = 1024
        configuration.maxDecompressedBytes = 4096
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                let protobuf = [("Content-Type", "application/x-protobuf")]
                let valid = OTLPPayloads.traces(spansPerResource: 1)

                let notFound = try await connection.request(.POST, "/v1/profiles", headers: protobuf, body: valid)
                #expect(notFound.status == 404)
                #expect(rpcStatusCode(notFound.body) == 5)
                #expect(try await connection.request(.POST, "/", headers: protobuf, body: valid).status == 404)

                let wrongMethod = try await connection.request(.GET, "/v1/traces")
                #expect(wrongMethod.status == 405)
                #expect(wrongMethod.header("allow") == "POST")

                let json = try await connection.request(
                    .POST, "/v1/traces", headers: [("Content-Type", "application/json")], body: Array("{}".utf8)
                )
                #expect(json.status == 415)
                #expect(rpcStatusCode(json.body) == 3)
                let brotli = try await connection.request(
                    .POST, "/v1/traces", headers: protobuf + [("Content-Encoding", "br")], body: valid
                )
                #expect(brotli.status == 415)

                let malformed = try await connection.export(.traces, OTLPPayloads.malformed).get()
                #expect(malformed.status == 400)
                #expect(malformed.header("content-type") == "application/x-protobuf")
                #expect(rpcStatusCode(malformed.body) == 3)  // INVALID_ARGUMENT

                let notGzip = try await connection.export(.logs, valid, gzip: true).get()
                #expect(notGzip.status == 400)

                let tooLarge = try await connection.request(
                    .POST, "/v1/traces", headers: protobuf, body: [UInt8](repeating: 0, count: 2048)
                )
                #expect(tooLarge.status == 413)
                let tooLargeChunked = try await connection.request(
                    .POST, "/v1/traces", headers: protobuf, body: [UInt8](repeating: 0, count: 2048),
                    contentLength: false
                )
                #expect(tooLargeChunked.status == 413)
                let bomb = try Gzip.compress([UInt8](repeating: 0, count: 100_000))
                #expect(bomb.count < 1024)
                let tooLargeDecompressed = try await connection.export(.traces, bomb, gzip: true).get()
                #expect(tooLargeDecompressed.status == 413)

                // Query strings are ignored, and after all that the same connection still serves.
                let ok = try await connection.request(.POST, "/v1/traces?x=1", headers: protobuf, body: valid)
                #expect(ok.status == 200)

                let summary = receiver.summary
                #expect(summary.unroutedRequests == 3)
                #expect(summary.traces.rejectedRequests == 5)
                #expect(summary.traces.malformedRequests == 1)
                #expect(summary.logs.malformedRequests == 1)
                #expect(summary.traces.requests == 7)
                #expect(summary.traces.acceptedRequests == 1)
                #expect(summary.traces.items == 1)
            }
        }
    }

    @Test("keeps a connection alive across requests, pipelined or not, and honours Connection: close")
    func keepAlive() async throws {
        try await withReceiver { receiver in
            let connection = try await TestHTTPConnection.connect(port: receiver.port)
            let first = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 2)).get()
            let second = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 3)).get()
            #expect(first.status == 200 && second.status == 200)
            #expect(first.header("connection") == nil)

            // Pipelined: three requests written before any answer.
            let pipelined = (0..<3).map { _ in connection.export(.logs, OTLPPayloads.logs(recordsPerResource: 1)) }
            for future in pipelined { #expect(try await future.get().status == 200) }
            #expect(connection.channel.isActive)

            let last = try await connection.export(
                .traces, OTLPPayloads.traces(spansPerResource: 1), extraHeaders: [("Connection", "close")]
            ).get()
            #expect(last.status == 200)
            #expect(last.header("connection") == "close")
            try await connection.closed.get()  // the receiver closes it

            #expect(receiver.summary.traces.items == 6)
            #expect(receiver.summary.logs.items == 3)
        }
    }

    @Test("captures the last N decompressed bodies with their headers")
    func capture() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.captureBodies = 2
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                let bodies = (1...3).map { OTLPPayloads.traces(spansPerResource: $0) }
                #expect(try await connection.export(.traces, bodies[0]).get().status == 200)
                #expect(try await connection.export(.traces, try Gzip.compress(bodies[1]), gzip: true).get().status == 200)
                let third = try await connection.export(
                    .traces, bodies[2], extraHeaders: [("X-Test", "three")]
                ).get()
                #expect(third.status == 200)

                #expect(receiver.capturedBodies(for: .traces) == [bodies[1], bodies[2]])
                let captured = receiver.capturedRequests(for: .traces)
                #expect(captured.map(\.gzip) == [true, false])
                #expect(captured.map(\.ordinal) == [2, 3])
                #expect(captured.last?.header("x-test") == "three")
                #expect(captured.last?.header("CONTENT-TYPE") == "application/x-protobuf")
                #expect(receiver.capturedBodies(for: .logs).isEmpty)
            }
        }
    }

    @Test("capture is off by default")
    func captureOff() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let response = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 1)).get()
                #expect(response.status == 200)
                #expect(receiver.capturedRequests(for: .traces).isEmpty)
            }
        }
    }

    @Test("counts exactly under concurrent connections")
    func concurrentConnections() async throws {
        try await withReceiver { receiver in
            let body = OTLPPayloads.traces(resources: 2, spansPerResource: 5)
            let compressed = try Gzip.compress(body)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<8 {
                    group.addTask {
                        try await withConnection(to: receiver) { connection in
                            for r in 0..<25 {
                                let gzip = (c + r) % 2 == 0
                                let response = try await connection.export(.traces, gzip ? compressed : body, gzip: gzip).get()
                                #expect(response.status == 200)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let traces = receiver.summary.traces
            #expect(traces.requests == 200)
            #expect(traces.acceptedRequests == 200)
            #expect(traces.items == 2000)
            #expect(traces.resources == 400)
            #expect(traces.gzipRequests == 100)
            #expect(traces.bytesReceived == 100 * body.count + 100 * compressed.count)
        }
    }

    @Test("stop closes open connections, and the port is released")
    func stopClosesConnections() async throws {
        // A port below Linux's ephemeral range (32768-60999), so that no other test's ephemeral bind can take it
        // between the stop and the rebind below.
        var fixed = OTLPReceiver.Configuration()
        var started: OTLPReceiver?
        for _ in 0..<20 where started == nil {
            fixed.port = Int.random(in: 20000..<30000)
            started = try? await OTLPReceiver.start(configuration: fixed)
        }
        let receiver = try #require(started)
        let connection = try await TestHTTPConnection.connect(port: receiver.port)
        #expect(try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 1)).get().status == 200)
        try await receiver.stop()
        try await connection.closed.get()
        try await receiver.stop()  // idempotent
        #expect(receiver.summary.traces.items == 1)
        #expect(receiver.endpoint == "http://127.0.0.1:\(receiver.port)")

        // The port can be bound again.
        var configuration = OTLPReceiver.Configuration()
        configuration.port = receiver.port
        let again = try await OTLPReceiver.start(configuration: configuration)
        #expect(again.port == receiver.port)
        try await again.stop()
    }

    @Test("reports every request to onRequest")
    func onRequest() async throws {
        let (records, recorder) = AsyncStream.makeStream(of: OTLPReceiver.RequestRecord.self)
        var configuration = OTLPReceiver.Configuration()
        configuration.onRequest = { recorder.yield($0) }
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                let exported = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 2)).get()
                #expect(exported.status == 200)
                let notFound = try await connection.request(.GET, "/nope")
                #expect(notFound.status == 404)
            }
        }
        recorder.finish()
        var all: [OTLPReceiver.RequestRecord] = []
        for await record in records { all.append(record) }
        #expect(all.count == 2)
        #expect(all.first?.status == 200)
        #expect(all.first?.items == 2)
        #expect(all.first?.signal == .traces)
        #expect(all.first?.ordinal == 1)
        #expect(all.last?.status == 404)
        #expect(all.last?.signal == nil)
        #expect(all.first?.description.hasPrefix("POST /v1/traces 200 items=2") == true)
    }
}
