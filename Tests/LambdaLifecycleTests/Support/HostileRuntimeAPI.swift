import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A fake Runtime and Extensions API on raw TCP that answers each `GET /runtime/invocation/next` with the next
/// scripted reply, garbage and dropped connections included, and `500` once the script is used up. It refuses
/// extension registration (`403`) unless it has a script of extension events: then it accepts it and answers each
/// `GET /extension/event/next` with the next of them (a dropped connection once they are used up). It records every `/response` and `/error`, accepting them (`202`) except for the
/// request id ``fatalPostRequestID`` (`500`).
final class HostileRuntimeAPI: Sendable {
    enum Reply: Sendable {
        /// These bytes as they are (not HTTP), then the connection is closed.
        case garbage(String)
        /// The connection is closed without an answer.
        case drop
        /// An HTTP/1.1 answer.
        case http(status: Int, headers: [(String, String)], body: String = "")

        /// `200` with an invocation's headers (only those given) and a payload.
        static func invocation(requestID: String? = nil, deadline: String? = nil, payload: String = "{}") -> Reply {
            var headers: [(String, String)] = []
            if let requestID { headers.append(("Lambda-Runtime-Aws-Request-Id", requestID)) }
            if let deadline { headers.append(("Lambda-Runtime-Deadline-Ms", deadline)) }
            return .http(status: 200, headers: headers, body: payload)
        }
    }

    /// A `/response` or `/error` the runtime posted.
    struct Post: Sendable, Equatable {
        var requestID: String
        var kind: String
        var errorType: String?
        var body: String
    }

    /// The request id whose `/response` or `/error` is answered with 500.
    static let fatalPostRequestID = "fatal-post"

    let port: Int
    private let channel: any Channel
    private let script: NIOLockedValueBox<[Reply]>
    private let extensionEvents: NIOLockedValueBox<[Reply]>?
    private let recorded = NIOLockedValueBox<[Post]>([])

    var posts: [Post] { recorded.withLockedValue { $0 } }

    private init(channel: any Channel, script: [Reply], extensionEvents: [Reply]?) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.script = NIOLockedValueBox(script)
        self.extensionEvents = extensionEvents.map { NIOLockedValueBox($0) }
    }

    static func start(script: [Reply], extensionEvents: [Reply]? = nil) async throws -> HostileRuntimeAPI {
        let box = NIOLockedValueBox<HostileRuntimeAPI?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawHTTPHandler { box.withLockedValue { $0 } })
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let api = HostileRuntimeAPI(channel: channel, script: script, extensionEvents: extensionEvents)
        box.withLockedValue { $0 = api }
        return api
    }

    func stop() async {
        try? await channel.close()
    }

    fileprivate func reply(method: String, path: String, headers: [String: String], body: String) -> Reply {
        let parts = path.split(separator: "/").map(String.init)
        switch (method, parts.count) {
        case ("GET", _) where path == "/2018-06-01/runtime/invocation/next":
            return script.withLockedValue { $0.isEmpty ? nil : $0.removeFirst() }
                ?? .http(status: 500, headers: [], body: #"{"errorType":"Runtime.Ending","errorMessage":"script done"}"#)
        case ("POST", 5) where parts[0...2] == ["2018-06-01", "runtime", "invocation"]:
            let post = Post(requestID: parts[3], kind: parts[4], errorType: headers["lambda-runtime-function-error-type"], body: body)
            recorded.withLockedValue { $0.append(post) }
            if post.requestID == Self.fatalPostRequestID {
                return .http(status: 500, headers: [], body: #"{"errorType":"Runtime.Unknown","errorMessage":"container error"}"#)
            }
            return .http(status: 202, headers: [], body: #"{"status":"OK"}"#)
        case ("POST", _) where path == "/2020-01-01/extension/register" && extensionEvents != nil:
            return .http(status: 200, headers: [("Lambda-Extension-Identifier", "hostile-extension")], body: "{}")
        case ("GET", _) where path == "/2020-01-01/extension/event/next" && extensionEvents != nil:
            return extensionEvents?.withLockedValue { $0.isEmpty ? nil : $0.removeFirst() } ?? .drop
        default:
            return .http(status: 403, headers: [], body: #"{"errorType":"Extension.RegistrationClosed","errorMessage":"not here"}"#)
        }
    }
}

/// Reads HTTP/1.1 requests off raw bytes (request line, headers, `Content-Length` body) and writes raw answers.
private final class RawHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let api: () -> HostileRuntimeAPI?
    private var pending: [UInt8] = []

    init(api: @escaping () -> HostileRuntimeAPI?) {
        self.api = api
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += unwrapInboundIn(data).readableBytesView
        while let headEnd = findHeadEnd() {
            let head = String(decoding: pending[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
            let requestLine = head[0].split(separator: " ").map(String.init)
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            guard pending.count >= headEnd + 4 + length, requestLine.count >= 2, let api = api() else { return }
            let body = String(decoding: pending[(headEnd + 4)..<(headEnd + 4 + length)], as: UTF8.self)
            pending.removeFirst(headEnd + 4 + length)
            switch api.reply(method: requestLine[0], path: requestLine[1], headers: headers, body: body) {
            case .garbage(let text):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
                context.close(promise: nil)
                return
            case .drop:
                context.close(promise: nil)
                return
            case .http(let status, let headers, let body):
                var text = "HTTP/1.1 \(status) Scripted\r\n"
                for (name, value) in headers { text += "\(name): \(value)\r\n" }
                text += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            }
        }
    }

    private func findHeadEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4) where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }
}
