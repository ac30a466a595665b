import NIOConcurrencyHelpers

/// What happened, in order and when: the fake Lambda API's calls and the test's own marks. Tests wait on it for an
/// entry to be recorded instead of sleeping. Thread-safe.
final class Timeline: Sendable {
    struct Entry: Sendable {
        var name: String
        var at: ContinuousClock.Instant
    }

    private struct Waiter {
        var name: String
        var occurrence: Int
        var continuation: CheckedContinuation<ContinuousClock.Instant?, Never>
    }

    private struct State {
        var entries: [Entry] = []
        var waiters: [Int: Waiter] = [:]
        /// Waits whose timeout passed before they were registered.
        var expired: Set<Int> = []
        var nextWaiter = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Records `name` now.
    func record(_ name: String) {
        let now = ContinuousClock.now
        let ready = state.withLockedValue { state -> [(CheckedContinuation<ContinuousClock.Instant?, Never>)] in
            state.entries.append(Entry(name: name, at: now))
            let count = state.entries.count { $0.name == name }
            let keys = state.waiters.filter { $0.value.name == name && $0.value.occurrence == count }.map(\.key)
            return keys.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ready {
            continuation.resume(returning: now)
        }
    }

    var entries: [Entry] { state.withLockedValue { $0.entries } }
    var names: [String] { entries.map(\.name) }

    /// When `name` was recorded for the `occurrence`-th time (1-based), if it has been.
    func instant(of name: String, occurrence: Int = 1) -> ContinuousClock.Instant? {
        let matching = entries.filter { $0.name == name }
        return matching.count >= occurrence ? matching[occurrence - 1].at : nil
    }

    /// The position of the `occurrence`-th `name` in the timeline, if it has been recorded.
    func index(of name: String, occurrence: Int = 1) -> Int? {
        let positions = entries.indices.filter { entries[$0].name == name }
        return positions.count >= occurrence ? positions[occurrence - 1] : nil
    }

    /// Waits until `name` has been recorded `occurrence` times and returns when it was; nil if `timeout` passes first.
    func wait(for name: String, occurrence: Int = 1, timeout: Duration) async -> ContinuousClock.Instant? {
        let key = state.withLockedValue { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.resume(key, with: nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let answer = state.withLockedValue { state -> ContinuousClock.Instant?? in
                let matching = state.entries.filter { $0.name == name }
                if matching.count >= occurrence { return .some(matching[occurrence - 1].at) }
                if state.expired.remove(key) != nil { return .some(nil) }
                state.waiters[key] = Waiter(name: name, occurrence: occurrence, continuation: continuation)
                return .none
            }
            if let answer {
                continuation.resume(returning: answer)
            }
        }
    }

    private func resume(_ key: Int, with value: ContinuousClock.Instant?) {
        let waiter = state.withLockedValue { state in
            guard let waiter = state.waiters.removeValue(forKey: key) else {
                state.expired.insert(key)
                return Waiter?.none
            }
            return waiter
        }
        waiter?.continuation.resume(returning: value)
    }
}
