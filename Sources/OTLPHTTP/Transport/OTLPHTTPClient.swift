import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OTelSDK
import OTLPProto

/// Sends encoded OTLP export requests for one signal over HTTP/1.1 with keep-alive, and turns the
/// outcome into an ``ExportResult`` the processor acts on.
///
/// - gzip (zlib) when configured; `Content-Type: application/x-protobuf`; a `User-Agent` naming the SDK.
/// - Retries 429, 502, 503, 504 and connection failures with jittered exponential back-off, honouring
///   `Retry-After` (seconds or HTTP-date), and never past the export's deadline: an attempt that
///   could not start before it is not made, and the batch is returned as `.retryLater` to be kept.
/// - A 2xx with `partial_success` is logged and counts as success (the spec forbids retrying it).
/// - Redirects are not followed (they would carry the configured headers to another origin): a 3xx is `.rejected`,
///   naming its target.
/// - Any other status is `.rejected`, with the server's `google.rpc.Status` message when the body decodes.
/// - A circuit breaker (`CollectorCircuit`, shared with the other exporters of the same collector)
///   stops exports from waiting on a collector that refused a connection or left a request unanswered
///   for the policy's `probeTimeout`: they return `.collectorUnavailable` at once, without retrying,
///   and the batch is kept; after a back-off one export probes with an attempt capped by
///   `probeTimeout`, and an answer closes the breaker (``OTLPCircuitBreakerPolicy``).
/// - Its own HTTP requests are never traced (AsyncHTTPClient's tracing is switched off), so exporting
///   never produces telemetry of its own.
///
/// Thread-safe. One instance per exporter; `shutdown()` closes its connections.
final class OTLPHTTPClient: Sendable {
    let configuration: OTLPExporterConfiguration
    private let client: HTTPClient
    private let circuit: CollectorCircuit
    /// Set by ``beginShutdown()``: exports no longer wait out the breaker's back-off.
    private let shuttingDown = NIOLockedValueBox(false)
    private let diagnostics: Logger
    /// The request headers, the same for every export: content type and encoding, `User-Agent`, then
    /// `OTEL_EXPORTER_OTLP_HEADERS`.
    private let headers: HTTPHeaders
    /// Makes the request bodies, gzipped when configured; a failure when zlib could not be set up
    /// (then every export fails, and says why).
    private let bodies: Result<OTLPRequestBodies, any Error>

    init(configuration: OTLPExporterConfiguration, diagnostics: Logger) {
        self.configuration = configuration
        self.diagnostics = diagnostics
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.tracing.tracer = nil
        // The pool retries a refused connection until this timeout and then fails the request with the
        // connection's error, which opens the circuit breaker: it bounds what a refused collector costs the
        // first export (a probe is capped by the breaker's `probeTimeout`). (Turning the pool's retries off,
        // which would fail it at once, made AsyncHTTPClient 1.37 trap on a connection it no longer knew.)
        httpConfiguration.timeout = .init(connect: .seconds(2))
        httpConfiguration.httpVersion = .http1Only
        // A redirect would re-send OTEL_EXPORTER_OTLP_HEADERS (API keys) to wherever it points, https to http
        // included: a 3xx is a failure that names the target instead.
        httpConfiguration.redirectConfiguration = .disallow
        if configuration.endpoint.scheme == "https" {
            httpConfiguration.tlsConfiguration = Self.tlsConfiguration(configuration, diagnostics: diagnostics)
        }
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
        let endpoint = configuration.endpoint
        self.circuit = CollectorCircuit.shared(origin: "\(endpoint.scheme)://\(endpoint.host):\(endpoint.port)", policy: configuration.circuitBreaker, diagnostics: diagnostics)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-protobuf")
        headers.add(name: "User-Agent", value: "OTel-OTLP-Exporter-Swift/\(SDKInfo.version) (\(SDKInfo.name))")
        if configuration.compression == .gzip {
            headers.add(name: "Content-Encoding", value: "gzip")
        }
        for header in configuration.headers {
            headers.replaceOrAdd(name: header.name, value: header.value)
        }
        self.headers = headers
        // Level 1: about three times faster than the default 6 on OTLP spans (1.5 vs 4.9 µs per span
        // measured here) for a slightly larger body; the flush deadline is the scarce resource.
        self.bodies = Result { try OTLPRequestBodies(gzipLevel: configuration.compression == .gzip ? 1 : nil) }
    }

    /// The client TLS configuration: the system's trust roots unless a CA file is configured, plus a
    /// client certificate for mutual TLS. A file that cannot be read is reported, and the defaults apply.
    private static func tlsConfiguration(_ configuration: OTLPExporterConfiguration, diagnostics: Logger) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = configuration.certificateFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
            } catch {
                diagnostics.warning("OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read \(path) (\(error)); trusting the system's certificate authorities")
            }
        }
        switch (configuration.clientCertificateFile, configuration.clientKeyFile) {
        case (.some, nil):
            diagnostics.warning("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is set but OTEL_EXPORTER_OTLP_CLIENT_KEY is not; connecting without a client certificate")
        case (nil, .some):
            diagnostics.warning("OTEL_EXPORTER_OTLP_CLIENT_KEY is set but OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is not; connecting without a client certificate")
        case (nil, nil):
            break
        case (let certificatePath?, let keyPath?):
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
            } catch {
                diagnostics.warning("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE/_CLIENT_KEY: cannot read \(certificatePath) or \(keyPath) (\(error)); connecting without a client certificate")
            }
        }
        return tls
    }

    /// Sends `body` (an encoded `Export<Signal>ServiceRequest`) by `deadline`.
    func send(_ body: [UInt8], deadline: ContinuousClock.Instant) async -> ExportResult {
        await send(self.body { try $0.body(encoded: body) }, deadline: deadline)
    }

    /// The body of the request that `encode` writes into the encoding workspace this client keeps
    /// from one request to the next (`OTLPRequestBodies`), gzipped when configured; to `send` later.
    func body(_ encode: (inout OTLPEncodingWorkspace) -> Void) -> Result<ByteBuffer, ExportFailure> {
        body { try $0.body(encode) }
    }

    private func body(_ make: (OTLPRequestBodies) throws -> ByteBuffer) -> Result<ByteBuffer, ExportFailure> {
        do {
            return .success(try make(bodies.get()))
        } catch {
            return .failure(ExportFailure("gzip failed: \(error)"))
        }
    }

    /// Sends a request body made by `body(_:)` by `deadline`; a body that could not be made is `.rejected`.
    ///
    /// Runs wherever the caller's task runs (the batch processors' export thread) and never needs a
    /// thread of the cooperative pool: requests go through AsyncHTTPClient's `EventLoopFuture` API and
    /// back-off waits on an event-loop timer, both completing from an event loop straight back to the
    /// waiting task. (AsyncHTTPClient's `async` `execute` starts an unstructured task per request,
    /// which holds the request and its connection state until a pool thread runs it: while
    /// application tasks keep the pool busy, memory grew with every export.)
    func send(_ body: Result<ByteBuffer, ExportFailure>, deadline: ContinuousClock.Instant) async -> ExportResult {
        let payload: ByteBuffer
        switch body {
        case .success(let made): payload = made
        case .failure(let failure): return .rejected(failure)
        }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: configuration.endpoint.url, method: .POST, headers: headers, body: .byteBuffer(payload))
        } catch {
            return .rejected(ExportFailure("\(configuration.endpoint): \(Self.describe(error))"))
        }
        var permit = await circuit.admit(deadline: deadline, skippingBackoff: shuttingDown.withLockedValue { $0 })
        var attempt = 0
        while true {
            let probe: Bool
            switch permit {
            case .refuse(let reason): return .collectorUnavailable(CollectorUnavailable(reason))
            case .probe: probe = true
            case .send: probe = false
            }
            attempt += 1
            let outcome = await attemptOnce(request, deadline: deadline, probe: probe)
            let beganOpenPeriod = circuit.record(outcome.verdict, probe: probe)
            permit = .send
            let failure: ExportFailure
            let retryAfter: Duration?
            switch outcome {
            case .delivered:
                return .success
            case .permanent(let refusal):
                return .rejected(refusal)
            case .transient(let answer, let after):
                (failure, retryAfter) = (answer, after)
            case .unanswered(let unanswered, let verdict):
                if verdict == .unavailable, circuit.policy.isEnabled {
                    return .collectorUnavailable(CollectorUnavailable("\(unanswered)\(probe ? " (probe)" : "")", beganOpenPeriod: beganOpenPeriod))
                }
                (failure, retryAfter) = (unanswered, nil)
            }
            if Task.isCancelled {
                return .retryLater(ExportFailure("\(failure) (export cancelled)"))
            }
            if let maxAttempts = configuration.retry.maxAttempts, attempt >= maxAttempts {
                return .retryLater(ExportFailure("\(failure) (after \(attempt) attempts)"))
            }
            let delay = configuration.retry.delay(retry: attempt, random: Double.random(in: 0..<1), retryAfter: retryAfter)
            guard ContinuousClock.now + delay < deadline else {
                return .retryLater(ExportFailure("\(failure) (no time left before the deadline for another attempt after \(attempt))"))
            }
            diagnostics.debug("retrying export", metadata: ["signal": "\(configuration.signal.rawValue)", "attempt": "\(attempt)", "delay": "\(delay)", "error": "\(failure)"])
            guard await backOff(delay) else {
                return .retryLater(ExportFailure("\(failure) (export cancelled)"))
            }
        }
    }

    /// The final flush follows: an open breaker lets the next export probe at once instead of refusing it.
    func beginShutdown() {
        shuttingDown.withLockedValue { $0 = true }
    }

    func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            diagnostics.debug("HTTP client shutdown failed", metadata: ["error": "\(error)"])
        }
    }

    private enum AttemptOutcome {
        case delivered
        /// An HTTP answer asking for a retry (429, 502, 503, 504): the collector is there.
        case transient(ExportFailure, retryAfter: Duration?)
        case permanent(ExportFailure)
        /// No HTTP answer; the verdict says whether that shows the collector unavailable.
        case unanswered(ExportFailure, CircuitBreaker.Verdict)

        var verdict: CircuitBreaker.Verdict {
            switch self {
            case .delivered, .transient, .permanent: .alive
            case .unanswered(_, let verdict): verdict
            }
        }
    }

    /// One HTTP attempt, by `deadline` and the configured timeout; a probe's also by the breaker's `probeTimeout`.
    private func attemptOnce(_ request: HTTPClient.Request, deadline: ContinuousClock.Instant, probe: Bool) async -> AttemptOutcome {
        let now = ContinuousClock.now
        var attemptDeadline = configuration.timeout.map { min(deadline, now + $0) } ?? deadline
        if probe { attemptDeadline = min(attemptDeadline, now + circuit.policy.probeTimeout) }
        let remaining = now.duration(to: attemptDeadline)
        guard remaining > .zero else {
            return .unanswered(ExportFailure("deadline reached before the request was sent"), .inconclusive)
        }
        let collector = OTLPResponseCollector(maxBodySize: configuration.maxResponseBytes)
        let execution = client.execute(request: request, delegate: collector, deadline: .now() + .nanoseconds(remaining.nanoseconds))
        let response: OTLPResponse
        do {
            response = try await withTaskCancellationHandler {
                try await execution.futureResult.get()
            } onCancel: {
                execution.cancel()
            }
        } catch let tooLarge as OTLPResponseCollector.BodyTooLarge {
            // The status still decides: a 2xx is a delivery, a 503 is retried.
            response = tooLarge.response
        } catch {
            let failure = ExportFailure("\(configuration.endpoint): \(Self.describe(error))")
            return .unanswered(failure, Task.isCancelled ? .inconclusive : Self.verdict(error, waitedUpTo: remaining, probeTimeout: circuit.policy.probeTimeout))
        }
        return interpret(response)
    }

    /// What an attempt that got no answer shows about the collector: unavailable when no connection could be
    /// made, or when the request stayed unanswered for the whole of an attempt allowed at least `probeTimeout`;
    /// inconclusive otherwise (a shorter deadline, a connection closed after the request went out).
    static func verdict(_ error: any Error, waitedUpTo allowed: Duration, probeTimeout: Duration) -> CircuitBreaker.Verdict {
        switch error {
        case is NIOConnectionError:
            return .unavailable
        case let error as IOError:
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT, ENETDOWN, EHOSTDOWN].contains(error.errnoCode) ? .unavailable : .inconclusive
        case ChannelError.connectTimeout:
            return .unavailable
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .unavailable
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return allowed >= probeTimeout ? .unavailable : .inconclusive
            default:
                return .inconclusive
            }
        default:
            return .inconclusive
        }
    }

    /// Waits `delay` on an event-loop timer; false if the task was cancelled first.
    private func backOff(_ delay: Duration) async -> Bool {
        let timer = client.eventLoopGroup.any().scheduleTask(in: .nanoseconds(delay.nanoseconds)) {}
        do {
            try await withTaskCancellationHandler {
                try await timer.futureResult.get()
            } onCancel: {
                timer.cancel()
            }
            return !Task.isCancelled
        } catch {
            return false
        }
    }

    /// The outcome an answer means. A body larger than `maxResponseBytes` was not read (`response.body` is nil):
    /// the status alone decides, and the diagnostics say the body was skipped.
    private func interpret(_ response: OTLPResponse) -> AttemptOutcome {
        let signal = configuration.signal
        let (status, headers) = (response.status, response.headers)
        guard let body = response.body else {
            diagnostics.warning(
                "collector answered \(status.code) with a body larger than \(configuration.maxResponseBytes) bytes; the body was not read",
                metadata: ["signal": "\(signal.rawValue)"])
            return interpret(OTLPResponse(status: status, headers: headers, body: []))
        }
        switch status.code {
        case 200..<300:
            do {
                if let partial = try OTLPExportResponse.partialSuccess(signal, protobuf: body), partial.rejected > 0 || !partial.errorMessage.isEmpty {
                    diagnostics.warning(
                        "collector accepted the export partially",
                        metadata: ["signal": "\(signal.rawValue)", "rejected": "\(partial.rejected)", "message": "\(partial.errorMessage)"])
                }
            } catch {
                diagnostics.warning("collector answered \(status.code) with a body that is not an Export\(signal.serviceName)ServiceResponse; treating the export as delivered", metadata: ["signal": "\(signal.rawValue)"])
            }
            return .delivered
        case 429, 502, 503, 504:
            let retryAfter = headers.first(name: "Retry-After").flatMap { RetryAfter.parse($0, now: .now) }
            return .transient(ExportFailure("HTTP \(status.code) \(status.reasonPhrase)\(Self.statusMessage(body))"), retryAfter: retryAfter)
        case 300..<400:
            let target = headers.first(name: "Location").map { " to \(URLRedaction.redacted($0))" } ?? ""
            return .permanent(ExportFailure(
                "HTTP \(status.code) \(status.reasonPhrase): the collector redirects\(target); redirects are not followed, "
                    + "so that the export headers never reach another origin: configure the final URL as the endpoint"))
        default:
            return .permanent(ExportFailure("HTTP \(status.code) \(status.reasonPhrase)\(Self.statusMessage(body))"))
        }
    }

    /// `: <message>` from a `google.rpc.Status` body, or a note that the body did not decode.
    private static func statusMessage(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        guard let status = try? RPCStatus(protobuf: body) else { return " (body is not a google.rpc.Status, \(body.count) bytes)" }
        return status.message.isEmpty ? "" : ": \(status.message)"
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            return "\(error)"
        }
        return String(describing: error)
    }
}

extension OTLPSignal {
    /// `Trace`, `Metrics`, `Logs`, as in the OTLP service message names.
    var serviceName: String {
        switch self {
        case .traces: return "Trace"
        case .metrics: return "Metrics"
        case .logs: return "Logs"
        }
    }
}
