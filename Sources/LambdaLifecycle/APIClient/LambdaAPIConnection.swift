import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection to the Lambda APIs (`AWS_LAMBDA_RUNTIME_API`), for one caller at a time.
///
/// The Runtime and Extensions APIs are local long-polls: `next` may stay outstanding for as long as the sandbox is
/// frozen, so there is deliberately **no client timeout**. Each loop (runtime, extension) owns its own connection, so
/// one blocked `next` never delays the other loop's calls.
///
/// The connection is opened on first use and again after the server closed it; a request that fails because the
/// connection broke is not retried here (the Lambda API calls are not idempotent), the caller decides.
///
/// Thread-safe; requests are sent one after another (a second request waits for the first to complete).
final class LambdaAPIConnection: Sendable {
    let host: String
    let port: Int
    private let group: any EventLoopGroup
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    init(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.group = group
    }

    /// Sends one request and returns the complete response.
    ///
    /// - Throws: a connection error when the API cannot be reached or closes before answering.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: ByteBuffer? = nil) async throws -> LambdaAPIResponse {
        var httpHeaders = HTTPHeaders(headers)
        httpHeaders.replaceOrAdd(name: "Host", value: "\(host):\(port)")
        httpHeaders.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: httpHeaders)
        let channel = try await connectedChannel()
        let promise = channel.eventLoop.makePromise(of: LambdaAPIResponse.self)
        channel.writeAndFlush(LambdaAPIExchangeHandler.Exchange(head: head, body: body, response: promise)).whenFailure {
            promise.fail($0)
        }
        return try await promise.futureResult.get()
    }

    /// Closes the connection, failing a request in flight.
    func close() async {
        let current = channel.withLockedValue { current in
            defer { current = nil }
            return current
        }
        try? await current?.close()
    }

    private func connectedChannel() async throws -> any Channel {
        if let current = channel.withLockedValue({ $0 }), current.isActive {
            return current
        }
        let fresh = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(LambdaAPIExchangeHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        let stale = channel.withLockedValue { current in
            defer { current = fresh }
            return current
        }
        try? await stale?.close()
        return fresh
    }
}

/// A complete response from a Lambda API.
struct LambdaAPIResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    /// Empty when ``discardedBodyLimit`` is set.
    var body: ByteBuffer
    /// Set when the body was larger than this many bytes and was discarded (see `LambdaAPIExchangeHandler`).
    var discardedBodyLimit: Int?

    var isSuccess: Bool { (200..<300).contains(status.code) }
}
