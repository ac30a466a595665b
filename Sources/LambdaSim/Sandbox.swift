import NIOCore

/// One execution environment: a launched `bootstrap` and the Runtime/Extensions API server it talks to.
/// Lives on the simulator's loop.
final class Sandbox {
    enum Phase: Equatable {
        /// Launched; waiting until the runtime and every registered extension have called `next`.
        case initializing
        /// Between invocations (frozen when freezing is on).
        case idle
        /// Serving ``Sandbox/current``.
        case invoking
        /// Being shut down or reset; out of the pool.
        case ending
    }

    /// An extension registered through `/extension/register` (always internal: the simulator launches no external
    /// extensions).
    final class Extension {
        let identifier: String
        let name: String
        let subscribesToInvoke: Bool
        var pendingNext: SimHTTPResponder?
        var calledNext = false

        init(identifier: String, name: String, subscribesToInvoke: Bool) {
            self.identifier = identifier
            self.name = name
            self.subscribesToInvoke = subscribesToInvoke
        }
    }

    static let maxExtensions = 10

    let id: Int
    var phase = Phase.initializing
    var record: LambdaSimReport.SandboxRecord
    var server: (any Channel)?
    var process: SandboxProcess?
    var output: SandboxOutput?
    var exited = false
    var frozen = false
    /// The invocation whose end froze the sandbox; its timeline gets the thaw.
    var frozenAfter: Invocation?
    /// The invocation waiting for init to end.
    var assigned: Invocation?
    /// The invocation being served.
    var current: Invocation?
    /// The last invocation served (its timeline gets a kill after the invoke phase).
    var last: Invocation?
    var extensions: [Extension] = []
    var registrationClosed = false
    var runtimeCalledNext = false
    var runtimeNext: SimHTTPResponder?
    var initTimer: Scheduled<Void>?
    var killTimer: Scheduled<Void>?

    init(id: Int, startedMs: Double) {
        self.id = id
        self.record = .init(id: id, startedMs: startedMs, extensions: [])
    }

    /// The extension with `identifier`, if registered.
    func extensionWith(identifier: String?) -> Extension? {
        guard let identifier else { return nil }
        return extensions.first { $0.identifier == identifier }
    }

    /// The runtime and every registered extension have called `next` at least once.
    var initDone: Bool {
        runtimeNext != nil && extensions.allSatisfy(\.calledNext)
    }
}
