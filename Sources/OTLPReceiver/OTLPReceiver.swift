import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OTLPProto

/// An OTLP/HTTP receiver (collector stand-in) for tests and benchmarks: it accepts protobuf export requests on
/// `POST /v1/traces`, `/v1/metrics` and `/v1/logs`, counts what they carry, and can inject faults into its answers.
///
/// Besides counting spans, it remembers the identity (`trace_id`, `span_id`) of the accepted spans (the most recent
/// ``Configuration/maxTrackedSpans``), so that ``ReceiverSummary/SignalCounts/distinctItems`` and
/// ``ReceiverSummary/SignalCounts/duplicateItems`` tell whether each span arrived exactly once, without capturing
/// bodies.
///
/// ## Memory
/// What the receiver holds is bounded by its configuration: at most ``Configuration/maxConnections`` connections
/// (each closed after ``Configuration/idleTimeout`` of silence), one request body per connection of at most
/// ``Configuration/maxBodyBytes`` (``Configuration/maxDecompressedBytes`` once gunzipped), ``Configuration/maxTrackedSpans``
/// span identities and ``Configuration/captureBodies`` captured requests per signal.
///
/// ```swift
/// let receiver = try await OTLPReceiver.start()
/// // point the exporter at receiver.endpoint ("http://127.0.0.1:<port>")
/// #expect(await receiver.waitForItems(.traces, atLeast: 10, timeout: .seconds(5)))
/// try await receiver.stop()
/// ```
///
/// ## HTTP
/// HTTP/1.1 with keep-alive and pipelining (NIO `configureHTTPServerPipeline`). For each request:
/// - 404 for a path other than the three OTLP paths (the query string is ignored), 405 (`Allow: POST`) for a method
///   other than `POST`;
/// - 415 unless `Content-Type` is `application/x-protobuf` (parameters ignored) and `Content-Encoding` is absent,
///   `identity` or `gzip`;
/// - 413 when the body exceeds ``Configuration/maxBodyBytes`` on the wire or ``Configuration/maxDecompressedBytes``
///   after gunzip (the body is read and discarded, so the connection stays usable);
/// - 400 when the body cannot be gunzipped or decoded (`OTLPDecodedRequest.decode`), or nests messages more than 64
///   levels deep (refused before unpacking: libprotobuf-c would recurse once per level);
/// - otherwise 200 with an empty `Export<Signal>ServiceResponse`, unless a fault (``ReceiverFaults``) decides otherwise.
///
/// Error answers carry a `google.rpc.Status` protobuf body (`Content-Type: application/x-protobuf`), as OTLP/HTTP
/// specifies. `Expect: 100-continue` is answered with `100 Continue` when the headers pass the checks above.
///
/// ## Thread safety
/// `OTLPReceiver` is `Sendable`: every method may be called from any thread or task, concurrently with the event loops
/// serving requests. Counters, faults, captured requests and waiters live behind one lock; ``summary`` is a consistent
/// snapshot. Request handling never blocks an event loop on a timer: stalls are scheduled on the loop.
///
/// ## Lifetime
/// The receiver serves until ``stop()``; dropping the last reference does not stop it. Counters stay readable after
/// the stop.
public final class OTLPReceiver: Sendable {
    /// The host the receiver is bound to, as configured.
    public let host: String
    /// The port the receiver is bound to (the ephemeral port chosen by the OS when ``Configuration/port`` was 0).
    public let port: Int

    private let serverChannel: any Channel
    private let state: ReceiverState

    private let isTLS: Bool

    private init(host: String, port: Int, isTLS: Bool, serverChannel: any Channel, state: ReceiverState) {
        self.host = host
        self.port = port
        self.isTLS = isTLS
        self.serverChannel = serverChannel
        self.state = state
    }

    /// Binds a receiver and starts serving. Returns once the socket is listening.
    ///
    /// - Throws: when the address cannot be bound (for example, the port is in use).
    public static func start(configuration: Configuration = Configuration()) async throws -> OTLPReceiver {
        let state = ReceiverState(configuration: configuration)
        let tlsContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        let group = configuration.eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let idleTimeout = configuration.idleTimeout {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: TimeAmount(idleTimeout)))
                    }
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(OTLPRequestHandler(state: state))
                }
            }
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ReceiverError.noLocalAddress
        }
        return OTLPReceiver(host: configuration.host, port: port, isTLS: tlsContext != nil, serverChannel: channel, state: state)
    }

    /// Stops listening, closes every open connection (answers still stalled are not sent) and resumes every pending
    /// waiter with `false`. Counters and captured requests stay readable. Calling it again does nothing.
    public func stop() async throws {
        let channels = state.markStopped()
        for channel in channels { channel.close(mode: .all, promise: nil) }
        do {
            try await serverChannel.close()
        } catch ChannelError.alreadyClosed {
            // Stopped before.
        }
    }

    /// The base URL to give an OTLP/HTTP exporter, such as `http://127.0.0.1:4318` (`https://` with TLS).
    public var endpoint: String {
        let scheme = isTLS ? "https" : "http"
        return host.contains(":") ? "\(scheme)://[\(host)]:\(port)" : "\(scheme)://\(host):\(port)"
    }

    /// A consistent snapshot of the counters.
    public var summary: ReceiverSummary { state.summary }

    /// How many span identities are remembered now, to tell duplicates: at most
    /// ``Configuration/maxTrackedSpans``.
    public var trackedSpanCount: Int { state.trackedSpans }

    /// The faults in force.
    public var faults: ReceiverFaults { state.faults }

    /// Replaces the faults for the requests that follow (a request being handled keeps the faults it was given).
    /// Restarts the request ordinal at 1, so `every: N` counts from this call.
    public func setFaults(_ faults: ReceiverFaults) {
        state.setFaults(faults)
    }

    /// Zeroes the counters, forgets the spans seen (a span received again counts as distinct), forgets the captured
    /// requests and restarts the fault ordinal.
    /// Requests in flight are counted after the reset when they finish.
    public func reset() {
        state.reset()
    }

    /// The last ``Configuration/captureBodies`` requests of `signal` that passed the HTTP checks and could be
    /// decompressed, oldest first, whatever their answer was (faults included). Empty when capture is off.
    public func capturedRequests(for signal: OTLPSignal) -> [CapturedRequest] {
        state.captured(for: signal)
    }

    /// The decompressed protobuf bodies of ``capturedRequests(for:)``, oldest first.
    public func capturedBodies(for signal: OTLPSignal) -> [[UInt8]] {
        state.captured(for: signal).map(\.body)
    }

    /// Waits until at least `count` items of `signal` have been accepted, or the timeout passes.
    ///
    /// Signal-driven: the call suspends on a continuation that the receiver resumes when its counters change;
    /// nothing polls.
    /// - Returns: `true` once reached (at once if it already is), `false` at the timeout, when the task is cancelled
    ///   or when the receiver stops.
    public func waitForItems(_ signal: OTLPSignal, atLeast count: Int, timeout: Duration) async -> Bool {
        await wait(timeout: timeout) { $0[signal].items >= count }
    }

    /// Waits until `predicate` holds for the counters, or the timeout passes (`nil`: no timeout).
    ///
    /// The predicate is evaluated at once and then after every change of the counters, under the receiver's lock:
    /// it must be fast and must not call the receiver.
    /// - Returns: `true` once it holds, `false` at the timeout, when the task is cancelled or when the receiver stops.
    public func wait(
        timeout: Duration? = nil,
        until predicate: @escaping @Sendable (ReceiverSummary) -> Bool
    ) async -> Bool {
        let state = self.state
        let id = state.makeWaiterID()
        // Beyond a year, a timeout is as good as none (and NIO deadlines cannot overflow).
        let timer = timeout.flatMap { timeout in
            state.isStopped || timeout > .seconds(365 * 86_400)
                ? nil : serverChannel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { state.expire(id: id) }
        }
        defer { timer?.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                state.register(id: id, predicate: predicate, continuation: continuation)
            }
        } onCancel: {
            state.expire(id: id)
        }
    }
}

extension OTLPReceiver {
    /// How to start an ``OTLPReceiver``.
    public struct Configuration: Sendable {
        /// Address to bind. Default `127.0.0.1`.
        public var host: String
        /// Port to bind; 0 (the default) lets the OS choose one, read it from ``OTLPReceiver/port``.
        public var port: Int
        /// Largest request body accepted on the wire; larger ones are answered 413. Default 64 MiB.
        public var maxBodyBytes: Int
        /// Largest gunzipped body accepted; larger ones are answered 413. Default 64 MiB.
        public var maxDecompressedBytes: Int
        /// How many requests per signal ``OTLPReceiver/capturedRequests(for:)`` keeps (the most recent ones).
        /// Default 0: nothing is captured.
        public var captureBodies: Int
        /// Faults in force from the start; change them later with ``OTLPReceiver/setFaults(_:)``.
        public var faults: ReceiverFaults
        /// Most connections open at once; a connection beyond them is closed as soon as it is accepted, without an
        /// answer, and counted in ``ReceiverSummary/refusedConnections``. Default 1024.
        public var maxConnections: Int
        /// A connection that neither sends nor receives a byte for this long, between requests or in the middle of
        /// one, is closed and counted in ``ReceiverSummary/idleClosedConnections``; an answer held back by a stall
        /// fault does not count as idle. `nil`: never. Default 60 s.
        public var idleTimeout: Duration?
        /// How many span identities the receiver remembers to tell distinct spans from duplicates: the most recent
        /// ones, first in, first out. A span repeated after its identity was forgotten counts as distinct;
        /// ``ReceiverSummary/SignalCounts/forgottenIdentities`` counts the identities forgotten, so the counts are
        /// exact while it is 0. Each identity costs about 60 bytes. Default 1,048,576 (about 64 MB when full).
        public var maxTrackedSpans: Int
        /// Serve HTTPS with this server TLS configuration (certificate chain and key); nil serves plain HTTP.
        public var tls: TLSConfiguration?
        /// Event loops to serve on; `nil` (the default) uses `MultiThreadedEventLoopGroup.singleton`.
        /// The receiver never shuts the group down.
        public var eventLoopGroup: (any EventLoopGroup)?
        /// Called once per request that the receiver finished with (answered, dropped, or abandoned by its client),
        /// on the connection's event loop, outside the receiver's lock. Must be thread-safe and fast.
        public var onRequest: (@Sendable (RequestRecord) -> Void)?

        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            maxBodyBytes: Int = 64 << 20,
            maxDecompressedBytes: Int = 64 << 20,
            captureBodies: Int = 0,
            faults: ReceiverFaults = .none,
            maxConnections: Int = 1024,
            idleTimeout: Duration? = .seconds(60),
            maxTrackedSpans: Int = 1 << 20,
            tls: TLSConfiguration? = nil,
            eventLoopGroup: (any EventLoopGroup)? = nil,
            onRequest: (@Sendable (RequestRecord) -> Void)? = nil
        ) {
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.maxDecompressedBytes = maxDecompressedBytes
            self.captureBodies = captureBodies
            self.faults = faults
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.maxTrackedSpans = maxTrackedSpans
            self.tls = tls
            self.eventLoopGroup = eventLoopGroup
            self.onRequest = onRequest
        }
    }

    /// One export request as the receiver got it (see ``Configuration/captureBodies``).
    public struct CapturedRequest: Sendable {
        public var signal: OTLPSignal
        /// The request's fault ordinal (1-based, see ``ReceiverFaults``).
        public var ordinal: Int
        /// The request headers, in order, names as sent.
        public var headers: [(name: String, value: String)]
        /// Whether the body came gzip-compressed.
        public var gzip: Bool
        /// The protobuf body, decompressed.
        public var body: [UInt8]

        /// The first value of the header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// What became of one request, for logging (see ``Configuration/onRequest``).
    public struct RequestRecord: Sendable, CustomStringConvertible {
        public var method: String
        /// The request target, query string included.
        public var uri: String
        /// The signal of an OTLP path, `nil` for others.
        public var signal: OTLPSignal?
        /// The fault ordinal, `nil` when the request was rejected before taking one.
        public var ordinal: Int?
        /// The answer's status code; `nil` when the connection was closed without an answer
        /// (drop fault, or the client left during a stall).
        public var status: Int?
        /// Body bytes received on the wire.
        public var bytesReceived: Int
        public var gzip: Bool
        /// Items counted as accepted for this request.
        public var items: Int
        /// Injected faults, such as `["stall", "partial-success"]`.
        public var faults: [String]
        /// From the request head to the answer.
        public var duration: Duration

        public var description: String {
            var line = "\(method) \(uri) \(status.map(String.init) ?? "closed")"
            line += " items=\(items) bytes=\(bytesReceived)"
            if gzip { line += " gzip" }
            if let ordinal { line += " #\(ordinal)" }
            if !faults.isEmpty { line += " faults=\(faults.joined(separator: "+"))" }
            let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
            line += " \(micros / 1000).\(String(micros % 1000 / 100))ms"
            return line
        }
    }

    /// Errors of ``OTLPReceiver/start(configuration:)`` besides NIO's own.
    public enum ReceiverError: Error, Sendable {
        /// The bound socket reported no local address.
        case noLocalAddress
    }
}
