import NIOCore
import NIOHTTP1
import OTLPProto

/// Serves the OTLP/HTTP requests of one connection. Lives on the connection's event loop; the HTTP server pipeline
/// in front of it delivers one request at a time (the next one waits until this one's `.end` is written).
final class OTLPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The request being read or answered.
    private struct Request {
        var head: HTTPRequestHead
        var signal: OTLPSignal?
        var gzip = false
        var wireBytes = 0
        var ordinal: Int?
        var faults: [String] = []
        let start: NIODeadline
    }

    private enum Phase {
        case idle
        case receiving
        /// Reading and discarding the body of a request that gets the answer at its end.
        case rejecting(OTLPAnswer)
        /// Waiting for a stall to end, or writing.
        case answering
        /// Closing: ignore everything.
        case closed
    }

    private static let routes = OTLPSignal.allCases.map { (path: Substring($0.path), signal: $0) }

    private let state: ReceiverState
    private var phase = Phase.idle
    private var request: Request?
    private var body: [UInt8] = []
    private var stalled: Scheduled<Void>?

    init(state: ReceiverState) {
        self.state = state
    }

    // MARK: Lifecycle

    func channelActive(context: ChannelHandlerContext) {
        switch state.register(channel: context.channel) {
        case .admitted:
            break
        case .overCapacity, .stopped:
            phase = .closed
            context.close(promise: nil)
        }
        context.fireChannelActive()
    }

    /// Closes a connection that has been silent for the idle timeout (`IdleStateHandler`), between requests or while
    /// a request is being read; an answer being stalled or written is left alone.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch phase {
        case .idle, .receiving, .rejecting:
            phase = .closed
            state.update { $0.idleClosedConnections += 1 }
            context.close(promise: nil)
        case .answering, .closed:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.unregister(channel: context.channel)
        if let stalled {
            // The client left while its answer was stalled: nothing is counted.
            stalled.cancel()
            self.stalled = nil
            state.update { $0.abandonedRequests += 1 }
            if let request { report(request, status: nil, items: 0) }
        }
        phase = .closed
        request = nil
        body = []
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        phase = .closed
        context.close(promise: nil)
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = phase else { return }
            begin(context: context, head: head)
        case .body(let chunk):
            switch phase {
            case .receiving:
                request?.wireBytes += chunk.readableBytes
                if body.count + chunk.readableBytes > state.limits.maxBodyBytes {
                    body = []
                    phase = .rejecting(OTLPAnswer.tooLarge("request body exceeds \(state.limits.maxBodyBytes) bytes"))
                } else {
                    body.append(contentsOf: chunk.readableBytesView)
                }
            case .rejecting:
                request?.wireBytes += chunk.readableBytes
            case .idle, .answering, .closed:
                break
            }
        case .end:
            guard let request else { return }
            switch phase {
            case .receiving:
                phase = .answering
                let bytes = body
                body = []
                process(context: context, request: request, wire: bytes)
            case .rejecting(let answer):
                phase = .answering
                if let signal = request.signal {
                    state.update {
                        $0[signal].requests += 1
                        $0[signal].rejectedRequests += 1
                        $0[signal].bytesReceived += request.wireBytes
                        if request.gzip { $0[signal].gzipRequests += 1 }
                    }
                } else {
                    state.update { $0.unroutedRequests += 1 }
                }
                deliver(context: context, request: request, answer: answer, count: nil)
            case .idle, .answering, .closed:
                break
            }
        }
    }

    private func begin(context: ChannelHandlerContext, head: HTTPRequestHead) {
        var request = Request(head: head, start: .now())
        body = []
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        request.signal = Self.routes.first { $0.path == path }?.signal
        self.request = request

        guard let signal = request.signal else {
            phase = .rejecting(OTLPAnswer.status(.notFound, code: 5, "unknown path \(path)"))
            return
        }
        guard head.method == .POST else {
            self.request?.signal = nil
            phase = .rejecting(
                OTLPAnswer.status(.methodNotAllowed, code: 12, "\(signal.path) accepts POST only", headers: [("Allow", "POST")])
            )
            return
        }
        let contentType = head.headers.first(name: "content-type").map(Self.mediaType) ?? ""
        guard contentType == "application/x-protobuf" else {
            phase = .rejecting(
                OTLPAnswer.status(.unsupportedMediaType, code: 3, "unsupported content type '\(contentType)', expected application/x-protobuf")
            )
            return
        }
        let encoding = head.headers.first(name: "content-encoding").map(Self.mediaType) ?? ""
        switch encoding {
        case "", "identity":
            break
        case "gzip", "x-gzip":
            self.request?.gzip = true
        default:
            phase = .rejecting(
                OTLPAnswer.status(.unsupportedMediaType, code: 3, "unsupported content encoding '\(encoding)'")
            )
            return
        }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }),
            length > state.limits.maxBodyBytes
        {
            phase = .rejecting(OTLPAnswer.tooLarge("request body of \(length) bytes exceeds \(state.limits.maxBodyBytes)"))
            return
        }
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            let head = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }) {
            body.reserveCapacity(length)
        }
        phase = .receiving
    }

    // MARK: Answering

    /// Counts and answers a complete request that passed the HTTP checks: the decode step (``OTLPExportDecoding``),
    /// then the answer step (``OTLPExportVerdict``) with the fault plan of the request's ordinal.
    private func process(context: ChannelHandlerContext, request: Request, wire: [UInt8]) {
        guard let signal = request.signal else { return }
        var request = request
        let (ordinal, plan) = state.nextPlan()
        request.ordinal = ordinal

        let decoding = OTLPExportDecoding.decode(
            signal, wire: wire, gzip: request.gzip, maxDecompressedBytes: state.limits.maxDecompressedBytes
        )
        if let body = decoding.body, state.captureLimit > 0 {
            state.capture(
                OTLPReceiver.CapturedRequest(
                    signal: signal,
                    ordinal: ordinal,
                    headers: request.head.headers.map { (name: $0.name, value: $0.value) },
                    gzip: request.gzip,
                    body: body
                )
            )
        }

        let verdict = OTLPExportVerdict.decide(signal, decoding: decoding, plan: plan)
        request.faults += verdict.faults
        let decodedBytes = decoding.body?.count
        let stalling = plan.stall != nil
        state.update {
            $0[signal].requests += 1
            $0[signal].bytesReceived += request.wireBytes
            if request.gzip { $0[signal].gzipRequests += 1 }
            if let decodedBytes { $0[signal].bytesDecoded += decodedBytes }
            if stalling { $0.faults.stalled += 1 }
            verdict.tally(&$0)
        }
        self.request = request

        if let stall = plan.stall {
            stalled = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(stall)) {
                self.stalled = nil
                guard context.channel.isActive else { return }
                self.deliver(context: context, request: request, answer: verdict.answer, count: verdict.count)
            }
        } else {
            deliver(context: context, request: request, answer: verdict.answer, count: verdict.count)
        }
    }

    private func deliver(context: ChannelHandlerContext, request: Request, answer: OTLPAnswer, count: OTLPExportVerdict.Count?) {
        var items = 0
        if let count, let signal = request.signal {
            let summary = count.contents.summary
            let rejected = min(max(count.rejected, 0), summary.items)
            items = summary.items - rejected
            // A partial success rejects the last spans: the accepted ones are the first `items`.
            state.update(accepting: count.contents.spans.prefix(items)) {
                $0[signal].acceptedRequests += 1
                $0[signal].items += items
                $0[signal].rejectedItems += rejected
                $0[signal].resources += summary.resources
                $0[signal].metrics += summary.metrics
            }
        }
        self.request = nil
        switch answer {
        case .close:
            phase = .closed
            report(request, status: nil, items: items)
            context.close(promise: nil)
        case .respond(let status, let contentType, let body, let extraHeaders):
            let keepAlive = request.head.isKeepAlive
            phase = keepAlive ? .idle : .closed
            report(request, status: Int(status.code), items: items)

            var headers = HTTPHeaders()
            headers.reserveCapacity(3 + extraHeaders.count)
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(body.count))
            for (name, value) in extraHeaders { headers.add(name: name, value: value) }
            if !keepAlive {
                headers.add(name: "Connection", value: "close")
            } else if request.head.version == .http1_0 {
                headers.add(name: "Connection", value: "keep-alive")
            }
            let head = HTTPResponseHead(version: request.head.version, status: status, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            }
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        }
    }

    private func report(_ request: Request, status: Int?, items: Int) {
        guard let onRequest = state.onRequest else { return }
        let elapsed = NIODeadline.now() - request.start
        onRequest(
            OTLPReceiver.RequestRecord(
                method: request.head.method.rawValue,
                uri: request.head.uri,
                signal: request.signal,
                ordinal: request.ordinal,
                status: status,
                bytesReceived: request.wireBytes,
                gzip: request.gzip,
                items: items,
                faults: request.faults,
                duration: .nanoseconds(elapsed.nanoseconds)
            )
        )
    }

    // MARK: Helpers

    /// `"Application/X-Protobuf; charset=x"` → `"application/x-protobuf"`.
    private static func mediaType(_ value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingWhitespace().lowercased()
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
