import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

@testable import LambdaLifecycle

/// An in-process Runtime and Extensions API on 127.0.0.1 for driving a ``LambdaRuntime`` from a test.
///
/// It records every call on a ``Timeline`` when it arrives: `register`, `runtime next`, `extension next`,
/// `response <id>`, `error <id>`. Both `next` calls are long polls, answered when the test queues an invocation
/// (``invoke(_:in:)``): the runtime gets the event, and the extension gets `INVOKE` if it registered for it. After
/// ``stop()`` the runtime's `next` is answered 500, so `run()` returns.
final class FakeLambdaAPI: Sendable {
    struct Reply: Sendable {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body: String
    }

    private struct Invocation: Sendable {
        var id: String
        var deadlineEpochMilliseconds: Int64
    }

    private struct State {
        var runtimeEvents: [Invocation] = []
        var extensionEvents: [Invocation] = []
        var runtimeWaiter: EventLoopPromise<Reply>?
        var extensionWaiter: EventLoopPromise<Reply>?
        var extensionWantsInvoke = false
        var stopped = false
    }

    let timeline: Timeline
    private let state = NIOLockedValueBox(State())
    private let server = NIOLockedValueBox<(any Channel)?>(nil)

    init(timeline: Timeline) {
        self.timeline = timeline
    }

    /// Starts serving; returns `AWS_LAMBDA_RUNTIME_API` (`127.0.0.1:port`).
    func start() async throws -> String {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeLambdaAPIHandler(api: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        server.withLockedValue { $0 = channel }
        return "127.0.0.1:\(channel.localAddress?.port ?? 0)"
    }

    /// Queues invocation `id` whose deadline is `timeout` from now, and returns that deadline in Unix epoch
    /// milliseconds (what `Lambda-Runtime-Deadline-Ms` carries).
    @discardableResult
    func invoke(_ id: String, in timeout: Duration) -> Int64 {
        let deadline = LambdaClock.epochMilliseconds() + Int64(timeout / .milliseconds(1))
        let invocation = Invocation(id: id, deadlineEpochMilliseconds: deadline)
        let (runtime, `extension`) = state.withLockedValue { state in
            state.runtimeEvents.append(invocation)
            if state.extensionWantsInvoke { state.extensionEvents.append(invocation) }
            return (state.runtimeWaiter.take(), state.extensionWaiter.take())
        }
        if let runtime { answerRuntimeNext(runtime) }
        if let `extension` { answerExtensionNext(`extension`) }
        return deadline
    }

    /// From now on the runtime's `next` fails (500), the way the Runtime API tells a runtime to exit.
    func stop() {
        let waiter = state.withLockedValue { state in
            state.stopped = true
            return state.runtimeWaiter.take()
        }
        if let waiter { answerRuntimeNext(waiter) }
    }

    /// Closes the listening socket.
    func close() async {
        try? await server.withLockedValue { $0.take() }?.close()
    }

    /// Answers one request; `reply` may be completed later (the long polls).
    fileprivate func handle(method: HTTPMethod, path: String, body: String, reply: EventLoopPromise<Reply>) {
        switch (method, path) {
        case (.POST, "/2020-01-01/extension/register"):
            timeline.record("register")
            state.withLockedValue { $0.extensionWantsInvoke = body.contains("INVOKE") }
            reply.succeed(Reply(status: .ok, headers: [("Lambda-Extension-Identifier", "fake-extension")], body: #"{"functionName":"fake","functionVersion":"$LATEST","handler":"bootstrap"}"#))
        case (.GET, "/2020-01-01/extension/event/next"):
            timeline.record("extension next")
            state.withLockedValue { $0.extensionWaiter = reply }
            answerExtensionNextIfReady()
        case (.GET, "/2018-06-01/runtime/invocation/next"):
            timeline.record("runtime next")
            state.withLockedValue { $0.runtimeWaiter = reply }
            answerRuntimeNextIfReady()
        case (.POST, _) where path.hasPrefix("/2018-06-01/runtime/invocation/") && path.hasSuffix("/response"):
            timeline.record("response \(Self.requestID(path))")
            reply.succeed(Reply(status: .accepted, body: #"{"status":"OK"}"#))
        case (.POST, _) where path.hasPrefix("/2018-06-01/runtime/invocation/") && path.hasSuffix("/error"):
            timeline.record("error \(Self.requestID(path))")
            reply.succeed(Reply(status: .accepted, body: #"{"status":"OK"}"#))
        default:
            timeline.record("unexpected \(method) \(path)")
            reply.succeed(Reply(status: .notFound, body: #"{"errorType":"NotFound","errorMessage":"no such route"}"#))
        }
    }

    private static func requestID(_ path: String) -> String {
        path.split(separator: "/").dropLast().last.map(String.init) ?? ""
    }

    private func answerRuntimeNextIfReady() {
        let waiter = state.withLockedValue { state in
            state.stopped || !state.runtimeEvents.isEmpty ? state.runtimeWaiter.take() : nil
        }
        if let waiter { answerRuntimeNext(waiter) }
    }

    private func answerExtensionNextIfReady() {
        let waiter = state.withLockedValue { state in
            state.extensionEvents.isEmpty ? nil : state.extensionWaiter.take()
        }
        if let waiter { answerExtensionNext(waiter) }
    }

    private func answerRuntimeNext(_ waiter: EventLoopPromise<Reply>) {
        let invocation = state.withLockedValue { state in
            state.stopped || state.runtimeEvents.isEmpty ? nil : state.runtimeEvents.removeFirst()
        }
        guard let invocation else {
            waiter.succeed(Reply(status: .internalServerError, body: #"{"errorType":"Runtime.Stopped","errorMessage":"the test is over"}"#))
            return
        }
        waiter.succeed(Reply(status: .ok, headers: [
            ("Lambda-Runtime-Aws-Request-Id", invocation.id),
            ("Lambda-Runtime-Deadline-Ms", String(invocation.deadlineEpochMilliseconds)),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:111122223333:function:fake"),
        ], body: "{}"))
    }

    private func answerExtensionNext(_ waiter: EventLoopPromise<Reply>) {
        guard let invocation = state.withLockedValue({ $0.extensionEvents.isEmpty ? nil : $0.extensionEvents.removeFirst() }) else {
            state.withLockedValue { $0.extensionWaiter = waiter }
            return
        }
        waiter.succeed(Reply(status: .ok, body: #"{"eventType":"INVOKE","deadlineMs":\#(invocation.deadlineEpochMilliseconds),"requestId":"\#(invocation.id)","invokedFunctionArn":"arn:aws:lambda:eu-west-1:111122223333:function:fake"}"#))
    }
}

/// Reads each request in full and writes the fake's reply whenever it is ready.
private final class FakeLambdaAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: FakeLambdaAPI
    private var head: HTTPRequestHead?
    private var body = ""

    init(api: FakeLambdaAPI) {
        self.api = api
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = ""
        case .body(let chunk):
            body += String(buffer: chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            let promise = context.eventLoop.makePromise(of: FakeLambdaAPI.Reply.self)
            let version = head.version
            promise.futureResult.assumeIsolated().whenSuccess { [self] reply in
                write(reply, version: version, context: context)
            }
            let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
            api.handle(method: head.method, path: path, body: body, reply: promise)
        }
    }

    private func write(_ reply: FakeLambdaAPI.Reply, version: HTTPVersion, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders(reply.headers)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: reply.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: reply.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
