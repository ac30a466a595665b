import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP request, read in full (the body up to a limit).
struct SimHTTPRequest {
    var method: HTTPMethod
    /// The path, without the query string.
    var path: String
    var headers: HTTPHeaders
    /// The body, cut at the server's limit.
    var body: ByteBuffer
    /// The size of the whole body on the wire.
    var bodySize: Int

    /// The first value of header `name` (case-insensitive), `nil` when absent or empty.
    func header(_ name: String) -> String? {
        headers.first(name: name).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Answers one ``SimHTTPRequest``. Lives on the connection's event loop; may be kept to answer later (a long poll).
struct SimHTTPResponder {
    fileprivate let handler: SimHTTPHandler
    fileprivate let context: ChannelHandlerContext
    fileprivate let version: HTTPVersion
    fileprivate let keepAlive: Bool

    /// Writes the answer (JSON unless `headers` names another `Content-Type`).
    func respond(_ status: HTTPResponseStatus, headers: [(String, String)] = [], body: [UInt8]) {
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        respond(status, headers: headers, body: buffer)
    }

    /// Writes the answer (JSON unless `headers` names another `Content-Type`).
    func respond(_ status: HTTPResponseStatus, headers: [(String, String)] = [], body: ByteBuffer) {
        handler.write(context: context, version: version, keepAlive: keepAlive, status: status, headers: headers, body: body)
    }
}

/// Reads HTTP requests in full and hands each to `route` with a responder. The HTTP server pipeline in front of it
/// hands over one request at a time, so a pending long poll holds its connection's later requests back.
final class SimHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    typealias Route = (SimHTTPRequest, SimHTTPResponder) -> Void

    private let maxBodyBytes: Int
    private let route: Route
    private var request: SimHTTPRequest?
    private var head: HTTPRequestHead?

    init(maxBodyBytes: Int, route: @escaping Route) {
        self.maxBodyBytes = maxBodyBytes
        self.route = route
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            self.head = head
            request = SimHTTPRequest(
                method: head.method, path: path, headers: head.headers, body: context.channel.allocator.buffer(capacity: 0), bodySize: 0
            )
        case .body(var chunk):
            guard var request else { return }
            request.bodySize += chunk.readableBytes
            let room = maxBodyBytes - request.body.readableBytes
            if room > 0, let bytes = chunk.readSlice(length: min(room, chunk.readableBytes)) {
                request.body.writeImmutableBuffer(bytes)
            }
            self.request = request
        case .end:
            guard let request, let head else { return }
            self.request = nil
            self.head = nil
            route(request, SimHTTPResponder(handler: self, context: context, version: head.version, keepAlive: head.isKeepAlive))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    fileprivate func write(
        context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool,
        status: HTTPResponseStatus, headers extra: [(String, String)], body: ByteBuffer
    ) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders(extra)
        if !headers.contains(name: "Content-Type") { headers.add(name: "Content-Type", value: "application/json") }
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// Binds HTTP/1.1 servers on 127.0.0.1 whose connections all live on one event loop.
enum SimHTTPServer {
    /// Binds and starts serving; `makeRoute` runs on `loop` for each new connection.
    static func bind(
        on loop: any EventLoop, port: Int, maxBodyBytes: Int,
        makeRoute: @escaping @Sendable () -> SimHTTPHandler.Route
    ) -> EventLoopFuture<any Channel> {
        ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        SimHTTPHandler(maxBodyBytes: maxBodyBytes, route: makeRoute())
                    )
                }
            }
            .bind(host: "127.0.0.1", port: port)
    }
}
