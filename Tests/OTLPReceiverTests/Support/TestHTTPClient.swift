import NIOCore
import NIOHTTP1
import NIOPosix
import OTLPProto

/// A response as the test client got it.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The connection closed before the response was complete.
struct ConnectionClosedError: Error {}

/// One HTTP/1.1 connection of a tiny NIO client: requests on it are sent in order (keep-alive, pipelined when
/// several are in flight) and their responses matched in order.
final class TestHTTPConnection: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func connect(
        port: Int,
        host: String = "127.0.0.1",
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TestHTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(TestHTTPClientHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        return TestHTTPConnection(channel: channel)
    }

    /// Sends a request and returns its response's future (so that several can be in flight).
    func send(
        _ method: HTTPMethod = .POST,
        _ uri: String,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        contentLength: Bool = true
    ) -> EventLoopFuture<TestResponse> {
        var httpHeaders = HTTPHeaders(headers)
        if httpHeaders["host"].isEmpty { httpHeaders.add(name: "Host", value: "127.0.0.1") }
        if contentLength {
            httpHeaders.replaceOrAdd(name: "Content-Length", value: String(body.count))
        } else {
            httpHeaders.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        }
        let promise = channel.eventLoop.makePromise(of: TestResponse.self)
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: httpHeaders)
        channel.writeAndFlush(TestHTTPClientHandler.Request(head: head, body: body, response: promise)).whenFailure {
            promise.fail($0)
        }
        return promise.futureResult
    }

    /// Sends a request and waits for its response.
    func request(
        _ method: HTTPMethod = .POST,
        _ uri: String,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        contentLength: Bool = true
    ) async throws -> TestResponse {
        try await send(method, uri, headers: headers, body: body, contentLength: contentLength).get()
    }

    /// POSTs an OTLP protobuf body, gzip-compressed when asked.
    func export(
        _ signal: OTLPSignal,
        _ body: [UInt8],
        gzip: Bool = false,
        extraHeaders: [(String, String)] = []
    ) -> EventLoopFuture<TestResponse> {
        var headers = [("Content-Type", "application/x-protobuf")] + extraHeaders
        if gzip { headers.append(("Content-Encoding", "gzip")) }
        return send(.POST, signal.path, headers: headers, body: body)
    }

    func close() async {
        try? await channel.close()
    }

    /// Completes when the connection is closed (by either side).
    var closed: EventLoopFuture<Void> { channel.closeFuture }
}

/// Matches responses to requests in order; fails the outstanding ones when the connection closes.
final class TestHTTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Request
    typealias OutboundOut = HTTPClientRequestPart

    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: [UInt8]
        var response: EventLoopPromise<TestResponse>
    }

    private var pending: [EventLoopPromise<TestResponse>] = []
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(request.response)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if !request.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: request.body)))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.status.code < 200 { return }  // 100 Continue
            self.head = head
            body = []
        case .body(let chunk):
            body.append(contentsOf: chunk.readableBytesView)
        case .end:
            guard let head, !pending.isEmpty else { return }
            let promise = pending.removeFirst()
            let response = TestResponse(
                status: Int(head.status.code),
                headers: head.headers.map { (name: $0.name, value: $0.value) },
                body: body
            )
            self.head = nil
            body = []
            promise.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ConnectionClosedError())
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        let promises = pending
        pending = []
        for promise in promises { promise.fail(error) }
    }
}
