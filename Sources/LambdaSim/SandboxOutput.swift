#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// Reads a sandbox's stdout and stderr, forwards every line to the ``LogSink`` and tracks the flushes the lines
/// announce (``FlushLine``).
///
/// A dedicated thread waits in `poll` and reads whatever arrives. ``drain()`` reads, inline and without blocking,
/// everything already written to the pipes, under the same lock as the thread's reads, so when it returns every
/// byte the sandbox wrote before the call has been parsed: a flush-end line written before an HTTP request is
/// always seen before that request is judged.
final class SandboxOutput: Sendable {
    /// A flush announced by a start line whose end line has not been read.
    struct OpenFlush: Sendable {
        var requestId: String?
        var startMs: Double
    }

    private struct Stream {
        var descriptor: Int32
        var pending: [UInt8] = []
        var ended = false
        var closed = false
    }

    private struct State {
        var streams: [Stream]
        /// Flushes whose end line has not been read, in start order (few: a flush per invocation at most).
        var open: [LambdaSimReport.Flush] = []
        /// The most recent ended flushes, in end order.
        var ended: RecentWindow<LambdaSimReport.Flush>
    }

    private static let maxLineBytes = 256 * 1024

    private let sandbox: Int
    private let clock: SimClock
    private let sink: LogSink
    private let state: NIOLockedValueBox<State>

    /// Takes ownership of `descriptors` (non-blocking read ends) and starts the reading thread. Keeps the most recent
    /// `retainedFlushes` ended flushes.
    init(sandbox: Int, descriptors: [Int32], clock: SimClock, sink: LogSink, retainedFlushes: Int) {
        self.sandbox = sandbox
        self.clock = clock
        self.sink = sink
        self.state = NIOLockedValueBox(
            State(streams: descriptors.map { Stream(descriptor: $0) }, ended: RecentWindow(limit: retainedFlushes))
        )
        DetachedThread.start { [self] in readUntilEnd() }
    }

    /// Reads everything already written to the pipes and returns the flushes running at this instant.
    func drain() -> [OpenFlush] {
        state.withLockedValue { state in
            readAvailable(&state)
            return state.open.map { OpenFlush(requestId: $0.requestId, startMs: $0.start) }
        }
    }

    /// The flushes still running and the most recent ended ones, in start order, with the number of ended flushes
    /// dropped to keep that bound.
    var flushes: (recent: [LambdaSimReport.Flush], dropped: Int) {
        state.withLockedValue { state in
            ((state.ended.elements + state.open).sorted { $0.start < $1.start }, state.ended.dropped)
        }
    }

    private func readUntilEnd() {
        while true {
            var polled = state.withLockedValue { state in
                state.streams.filter { !$0.closed }.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            }
            if polled.isEmpty { return }
            let ready = poll(&polled, nfds_t(polled.count), -1)
            if ready < 0 && errno != EINTR { return }
            state.withLockedValue { state in
                readAvailable(&state)
                for index in state.streams.indices where state.streams[index].ended && !state.streams[index].closed {
                    close(state.streams[index].descriptor)
                    state.streams[index].closed = true
                }
            }
        }
    }

    /// Reads each open stream until it would block or ends. Only the reading thread closes descriptors, so a
    /// descriptor it polls is never reused under it.
    private func readAvailable(_ state: inout State) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        for index in state.streams.indices where !state.streams[index].ended {
            while true {
                let count = chunk.withUnsafeMutableBytes { read(state.streams[index].descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    state.streams[index].pending.append(contentsOf: chunk[0..<count])
                    emitLines(of: index, &state, final: false)
                } else if count == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                    state.streams[index].ended = true
                    emitLines(of: index, &state, final: true)
                    break
                } else if errno != EINTR {
                    break
                }
            }
        }
    }

    private func emitLines(of index: Int, _ state: inout State, final: Bool) {
        var pending = state.streams[index].pending
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            handle(line: pending[start..<newline], &state)
            start = newline + 1
        }
        if final || pending.count - start > Self.maxLineBytes {
            if start < pending.endIndex { handle(line: pending[start...], &state) }
            start = pending.endIndex
        }
        pending.removeSubrange(..<start)
        state.streams[index].pending = pending
    }

    private func handle(line: ArraySlice<UInt8>, _ state: inout State) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        sink.writeLine(sandbox: sandbox, line: line)
        guard let flush = FlushLine.parse(line) else { return }
        let now = clock.milliseconds()
        switch flush.phase {
        case .start:
            state.open.append(.init(requestId: flush.requestId, sandbox: sandbox, start: now))
        case .end:
            guard let index = state.open.lastIndex(where: { $0.requestId == flush.requestId }) else { return }
            var ended = state.open.remove(at: index)
            ended.end = now
            ended.outcome = flush.outcome
            ended.durationMs = flush.durationMs
            state.ended.append(ended)
        }
    }
}
