#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a simulator run recorded: the counts of the whole run (``summary``, exact), and the detail of its most
/// recent items: invocation timelines, violations, the flushes the sandboxes reported on their output, and the
/// sandboxes, each list bounded by ``LambdaSimConfiguration/retainedDetail`` (``omitted`` counts what was dropped; all
/// zero when the lists are complete). Encodes to the JSON written by `lambda-sim --report`.
///
/// Times named `…Ms` are monotonic milliseconds since the simulator started; `…EpochMs` are wall-clock
/// Unix epoch milliseconds. Absent optional values are omitted from the JSON.
public struct LambdaSimReport: Codable, Sendable {
    public var invocations: [InvocationTimeline]
    public var violations: [Violation]
    public var summary: Summary
    public var flushes: [Flush]
    public var sandboxes: [SandboxRecord]
    public var omitted: Omitted

    /// The report as pretty-printed JSON with sorted keys.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// Reads a report written by ``jsonBytes()`` (or `lambda-sim --report`).
    public static func decode(from bytes: [UInt8]) throws -> LambdaSimReport {
        try JSONDecoder().decode(LambdaSimReport.self, from: Data(bytes))
    }

    /// The counts of a run, all of it (whatever the detail lists dropped).
    public struct Summary: Codable, Sendable, Equatable {
        public var invocations: Int
        public var ok: Int
        public var errors: Int
        public var timeouts: Int
        public var gatewayTimeouts: Int
        public var coldStarts: Int
        public var violations: Int
        public var sandboxesStarted: Int

        static let zero = Summary(
            invocations: 0, ok: 0, errors: 0, timeouts: 0, gatewayTimeouts: 0, coldStarts: 0, violations: 0, sandboxesStarted: 0
        )

        /// Counts one invocation by its status and cold start.
        mutating func count(_ timeline: InvocationTimeline) {
            invocations += 1
            switch timeline.status {
            case .ok: ok += 1
            case .error: errors += 1
            case .timeout: timeouts += 1
            case .gatewayTimeout: gatewayTimeouts += 1
            case .incomplete: break
            }
            if timeline.coldStart { coldStarts += 1 }
        }
    }

    /// How many older items each detail list dropped to stay within ``LambdaSimConfiguration/retainedDetail``.
    public struct Omitted: Codable, Sendable, Equatable {
        public var invocations = 0
        public var flushes = 0
        public var violations = 0
        /// Ended sandboxes (the running ones are always listed).
        public var sandboxes = 0
    }

    /// One flush, as the sandbox announced it with `otel.lambda.flush.start` / `.end` lines.
    public struct Flush: Codable, Sendable {
        /// The `requestId` of the lines (`shutdown` for a final flush, absent when the lines had none).
        public var requestId: String?
        public var sandbox: Int
        /// When the start line was read.
        public var start: Double
        /// When the end line was read; absent when the flush never ended.
        public var end: Double?
        /// `outcome` of the end line.
        public var outcome: String?
        /// `durationMs` of the end line.
        public var durationMs: Double?
    }

    /// A freeze, an INVOKE or a kill while a flush was running in the sandbox.
    public struct Violation: Codable, Sendable {
        public enum Kind: String, Codable, Sendable {
            /// The sandbox was frozen (SIGSTOP) while a flush ran.
            case freezeWhileFlushing
            /// An INVOKE was delivered to the sandbox while a flush ran.
            case invokeWhileFlushing
            /// The sandbox was killed (SIGKILL) while a flush ran.
            case killWhileFlushing
        }

        public var kind: Kind
        /// The request id of the flush that was running.
        public var requestId: String?
        public var sandbox: Int
        /// When the violation happened.
        public var atMs: Double
        /// When the running flush started.
        public var flushStartMs: Double
        /// The invocation that ended (freeze), was delivered (invoke) or was running (kill), if any.
        public var invocation: String?
    }

    /// One sandbox's life.
    public struct SandboxRecord: Codable, Sendable {
        public var id: Int
        public var pid: Int32?
        /// When the simulator began to set the sandbox up (its Runtime API server first, then the process).
        public var startedMs: Double
        /// When the `bootstrap` process was spawned.
        public var spawnedMs: Double?
        /// When the runtime and every extension had called `next` for the first time.
        public var initDoneMs: Double?
        /// Lambda's Init phase as the function sees it: from the spawn of `bootstrap` to the moment the runtime and
        /// every registered extension had called `next` (`initDoneMs - spawnedMs`).
        public var initDurationMs: Double?
        public var extensions: [String]
        public var sigtermMs: Double?
        public var sigkillMs: Double?
        public var exitedMs: Double?
        /// `exit N` or `signal N`.
        public var exitStatus: String?
        /// Why it ended: `timeout`, `initError`, `initTimeout`, `exited`, `shutdown`; absent while it runs.
        public var endReason: String?
    }
}

/// What happened to one invocation.
public struct InvocationTimeline: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// The runtime posted a response in time.
        case ok
        /// The runtime posted an error, the response was too large, init failed, or the sandbox exited.
        case error
        /// The function timeout ended the invoke phase.
        case timeout
        /// The caller waited past the gateway timeout and got 504.
        case gatewayTimeout
        /// The simulator shut down before the invocation finished.
        case incomplete
    }

    public var requestId: String
    public var status: Status
    public var sandbox: Int?
    public var coldStart: Bool
    public var receivedMs: Double
    public var receivedEpochMs: Int64
    public var invokeDeliveredMs: Double?
    public var deadlineEpochMs: Int64?
    public var responsePostedMs: Double?
    public var errorPostedMs: Double?
    /// The runtime's `next` that ended its part of the invoke phase.
    public var runtimeNextMs: Double?
    /// The last INVOKE-registered extension's `next` of this invoke phase.
    public var lastExtensionNextMs: Double?
    /// The freeze that followed this invocation.
    public var frozenMs: Double?
    /// The thaw that ended that freeze.
    public var thawedMs: Double?
    /// SIGTERM or SIGKILL sent to the sandbox during or right after this invocation.
    public var killedMs: Double?
    public var callerAnsweredMs: Double?
    public var callerLatencyMs: Double?
    public var callerStatus: Int?
    /// The `errorType` the caller got, for answers with `X-Amz-Function-Error`.
    public var errorType: String?

    /// What Lambda bills for the invocation: from the INVOKE's delivery to the last `next` of its phase (the
    /// runtime's or an extension's); nil when it was never delivered or nothing called `next` after it.
    public var billedMs: Double? {
        guard let start = invokeDeliveredMs else { return nil }
        return [runtimeNextMs, lastExtensionNextMs].compactMap { $0 }.max().map { $0 - start }
    }
}
