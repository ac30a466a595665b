import Foundation
import NIOConcurrencyHelpers
import NIOCore
import OTelSDK
import Testing

@testable import LambdaLifecycle

/// Handlers written as closures, handlers that return nothing, and injected JSON coders, served by the runtime
/// against a scripted Runtime API: what the runtime posts for each invocation.
@Suite("Closure and Void handlers, injected coders, through the runtime", .timeLimit(.minutes(2)))
struct RuntimeHandlerTests {
    struct Order: Codable, Sendable, Equatable {
        var orderId: String
    }

    struct Receipt: Codable, Sendable, Equatable {
        var receiptId: String
    }

    static let farDeadline = String(LambdaClock.epochMilliseconds() + 60_000)

    /// Serves one invocation per payload with the runtime `make` builds, until the script is used up (the API then
    /// answers 500, which ends `run()`); returns what the runtime posted.
    static func serve(
        _ payloads: [String],
        _ make: (LambdaLifecycleConfiguration, any LambdaTelemetry, [String: String]) -> LambdaRuntime
    ) async throws -> [HostileRuntimeAPI.Post] {
        let script = payloads.enumerated().map { HostileRuntimeAPI.Reply.invocation(requestID: "r\($0.offset)", deadline: farDeadline, payload: $0.element) }
        let api = try await HostileRuntimeAPI.start(script: script)
        let runtime = make(
            LambdaLifecycleConfiguration(strategy: .runtimeGated, flushDeadline: FlushDeadline(cap: .milliseconds(100), safetyMargin: .zero)),
            FlushCoordinator(providers: [], selfTelemetry: false, diagnostics: DiagnosticLogger.disabled),
            ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(api.port)", "AWS_LAMBDA_FUNCTION_NAME": "handlers"]
        )
        await runtime.run()
        await api.stop()
        return api.posts
    }

    @Test("a closure over Codable values: the event decoded, the output encoded")
    func codableClosure() async throws {
        let posts = try await Self.serve([#"{"orderId":"o-1"}"#]) { configuration, telemetry, environment in
            LambdaRuntime(configuration: configuration, telemetry: telemetry, environment: environment, diagnostics: DiagnosticLogger.disabled) {
                (order: Order, _: LambdaContext) in Receipt(receiptId: "for-\(order.orderId)")
            }
        }
        #expect(posts == [HostileRuntimeAPI.Post(requestID: "r0", kind: "response", errorType: nil, body: #"{"receiptId":"for-o-1"}"#)])
    }

    @Test("a closure returning Void: an empty response; a throw: /error; an undecodable event: /error")
    func voidClosure() async throws {
        let seen = NIOLockedValueBox<[String]>([])
        let posts = try await Self.serve([EventFixtures.sqsMinimal(messageID: "m-1"), EventFixtures.sqsMinimal(messageID: "boom"), "[]"]) {
            configuration, telemetry, environment in
            LambdaRuntime(configuration: configuration, telemetry: telemetry, environment: environment, diagnostics: DiagnosticLogger.disabled) {
                (event: SQSEvent, _: LambdaContext) in
                let id = event.records[0].messageId
                seen.withLockedValue { $0.append(id) }
                if id == "boom" { throw CancellationError() }
            }
        }
        #expect(seen.withLockedValue { $0 } == ["m-1", "boom"])
        #expect(posts.map(\.kind) == ["response", "error", "error"])
        #expect(posts.first?.body == "")
        #expect(posts[1].errorType == "CancellationError")
        #expect(posts[2].errorType == "Runtime.EventDecodingFailed")
    }

    struct Audit: LambdaEventHandler {
        let seen: NIOLockedValueBox<[String]>

        func handle(_ event: S3Event, context: LambdaContext) async throws {
            seen.withLockedValue { $0.append(contentsOf: event.records.map(\.s3.object.key)) }
        }
    }

    @Test("a LambdaEventHandler: served, with an empty response")
    func eventHandler() async throws {
        let seen = NIOLockedValueBox<[String]>([])
        let posts = try await Self.serve([EventFixtures.s3Delete]) { configuration, telemetry, environment in
            LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: Audit(seen: seen), environment: environment, diagnostics: DiagnosticLogger.disabled)
        }
        #expect(seen.withLockedValue { $0 } == ["Happy%20Face.jpg"])
        #expect(posts == [HostileRuntimeAPI.Post(requestID: "r0", kind: "response", errorType: nil, body: "")])
    }

    @Test("injected coders decode and encode (snake case here); the default coders would not decode the event")
    func injectedCoders() async throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let handler = LambdaCodableClosureHandler { (order: Order, _: LambdaContext) in Receipt(receiptId: "for-\(order.orderId)") }
        let posts = try await Self.serve([#"{"order_id":"o-2"}"#]) { configuration, telemetry, environment in
            LambdaRuntime(
                configuration: configuration, telemetry: telemetry, handler: handler, decoder: decoder, encoder: encoder, environment: environment,
                diagnostics: DiagnosticLogger.disabled
            )
        }
        #expect(posts == [HostileRuntimeAPI.Post(requestID: "r0", kind: "response", errorType: nil, body: #"{"receipt_id":"for-o-2"}"#)])
        let withDefaults = try await Self.serve([#"{"order_id":"o-2"}"#]) { configuration, telemetry, environment in
            LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: handler, environment: environment, diagnostics: DiagnosticLogger.disabled)
        }
        #expect(withDefaults.first?.errorType == "Runtime.EventDecodingFailed")
    }
}
