import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A collector's answer to one export request: its status line and headers, and its body when it fits the limit.
struct OTLPResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    /// The body, or nil when it was larger than the limit (and was not read past it).
    var body: [UInt8]?
}

/// Reads an export request's answer for ``OTLPHTTPClient``: the head always, the body up to `maxBodySize` bytes.
///
/// A larger body (announced by `Content-Length`, or passing the limit as it arrives) is not read further: the request
/// ends with ``BodyTooLarge``, which carries the head, so that the status still decides the export's outcome (a 2xx
/// is delivered, a 503 retried) while a hostile or broken collector cannot make the exporter hold an unbounded body.
final class OTLPResponseCollector: HTTPClientResponseDelegate, Sendable {
    typealias Response = OTLPResponse

    /// The answer's body passed `limit` bytes; `response` has the status and headers, and no body.
    struct BodyTooLarge: Error {
        var response: OTLPResponse
        var limit: Int
    }

    private struct State {
        var head: HTTPResponseHead?
        var body = ByteBuffer()
    }

    private let maxBodySize: Int
    private let state = NIOLockedValueBox(State())

    init(maxBodySize: Int) {
        self.maxBodySize = maxBodySize
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLockedValue { $0.head = head }
        if let announced = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), announced > maxBodySize {
            return task.eventLoop.makeFailedFuture(tooLarge(head))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let exceeded: HTTPResponseHead? = state.withLockedValue { state in
            guard state.body.readableBytes + buffer.readableBytes <= maxBodySize else { return state.head }
            var part = buffer
            state.body.writeBuffer(&part)
            return nil
        }
        if let exceeded {
            return task.eventLoop.makeFailedFuture(tooLarge(exceeded))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        try state.withLockedValue { state in
            guard let head = state.head else { throw HTTPClientError.remoteConnectionClosed }
            return OTLPResponse(status: head.status, headers: head.headers, body: Array(buffer: state.body))
        }
    }

    private func tooLarge(_ head: HTTPResponseHead) -> BodyTooLarge {
        BodyTooLarge(response: OTLPResponse(status: head.status, headers: head.headers, body: nil), limit: maxBodySize)
    }
}
