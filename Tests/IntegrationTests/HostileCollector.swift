import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP endpoint that reads each request properly and answers with whatever bytes a test scripts: a redirect, a
/// status line that is not HTTP, a body larger than any limit, an answer trickled a byte at a time, or none at all.
/// The collector a hostile or broken network puts in front of an exporter; ``OTLPReceiver`` is the well-behaved one.
final class HostileCollector: Sendable {
    /// What the collector does once it has read a whole request.
    enum Answer: Sendable {
        /// Writes these bytes, then keeps the connection open.
        case bytes([UInt8])
        /// Writes these bytes one at a time, `interval` apart.
        case trickle([UInt8], interval: TimeAmount)
        /// Writes nothing and keeps the connection open.
        case silence

        /// A well-formed HTTP/1.1 answer with `status`, `headers` and `body`.
        static func http(_ status: Int, _ reason: String, headers: [(String, String)] = [], body: [UInt8] = []) -> Answer {
            var head = "HTTP/1.1 \(status) \(reason)\r\ncontent-length: \(body.count)\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            return .bytes(Array((head + "\r\n").utf8) + body)
        }
    }

    /// A request as it arrived: its path and headers.
    struct Request: Sendable {
        var path: String
        var headers: [(String, String)]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    private let channel: any Channel
    private let received: NIOLockedValueBox<[Request]>

    /// `http://127.0.0.1:PORT`, without a path.
    let endpoint: String

    /// Every request read so far, in order.
    var requests: [Request] { received.withLockedValue { $0 } }

    /// Starts listening on an ephemeral loopback port; `answer` is asked for each request, numbered from 1.
    static func start(answer: @escaping @Sendable (Int) -> Answer) async throws -> HostileCollector {
        let box = NIOLockedValueBox<[Request]>([])
        let count = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(Handler { request in
                        box.withLockedValue { $0.append(request) }
                        return answer(count.withLockedValue { value in
                            value += 1
                            return value
                        })
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return HostileCollector(channel: channel, received: box)
    }

    private init(channel: any Channel, received: NIOLockedValueBox<[Request]>) {
        self.channel = channel
        self.endpoint = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
        self.received = received
    }

    func stop() async throws {
        try await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = ByteBuffer

        private let onRequest: @Sendable (Request) -> Answer
        private var head: HTTPRequestHead?

        init(onRequest: @escaping @Sendable (Request) -> Answer) {
            self.onRequest = onRequest
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
            case .body:
                break
            case .end:
                guard let head else { return }
                let answer = onRequest(Request(path: head.uri, headers: head.headers.map { ($0.name, $0.value) }))
                switch answer {
                case .bytes(let bytes):
                    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
                case .trickle(let bytes, let interval):
                    trickle(bytes[...], interval: interval, context: context)
                case .silence:
                    break
                }
            }
        }

        private func trickle(_ bytes: ArraySlice<UInt8>, interval: TimeAmount, context: ChannelHandlerContext) {
            guard let first = bytes.first, context.channel.isActive else { return }
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [first])), promise: nil)
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: interval) {
                let (handler, context) = loopBound.value
                handler.trickle(bytes.dropFirst(), interval: interval, context: context)
            }
        }
    }
}
