import NIOCore
import NIOHTTP1

/// Writes one request and completes its promise with the aggregated response; fails what is outstanding when the
/// connection closes or errors. Responses are matched to requests in order.
///
/// A response body is kept up to ``maxBodyBytes``: beyond that it is read to its end and discarded (the connection
/// stays usable) and the response says so (``LambdaAPIResponse/discardedBodyLimit``), so that memory stays bounded
/// whatever the API sends.
final class LambdaAPIExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    struct Exchange: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer?
        var response: EventLoopPromise<LambdaAPIResponse>
    }

    /// Lambda's invocation payload limit (6 MB) with a margin: the largest response body kept.
    static let maxBodyBytes = 6 * 1_024 * 1_024 + 64 * 1_024

    private let maxBodyBytes: Int
    private var pending: [EventLoopPromise<LambdaAPIResponse>] = []
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?
    /// The body of the response being read went past `maxBodyBytes` and is being discarded.
    private var discarding = false

    init(maxBodyBytes: Int = LambdaAPIExchangeHandler.maxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        pending.append(exchange.response)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard head.status.code >= 200 else { return }  // 100 Continue
            self.head = head
            body = nil
            discarding = false
        case .body(var chunk):
            guard !discarding else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBodyBytes {
                discarding = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let head, !pending.isEmpty else { return }
            let promise = pending.removeFirst()
            var response = LambdaAPIResponse(status: head.status, headers: head.headers, body: body ?? ByteBuffer())
            if discarding { response.discardedBodyLimit = maxBodyBytes }
            self.head = nil
            body = nil
            discarding = false
            promise.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(LambdaAPIError.connectionClosed)
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
