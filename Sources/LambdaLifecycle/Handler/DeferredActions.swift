import NIOConcurrencyHelpers
import ServiceContextModule

/// Work a handler queues to run after its response has been posted and before Lambda may freeze the environment
/// (``LambdaContext/defer(_:)``). Thread-safe; actions run in the order they were added, each in the
/// `ServiceContext` that was current when it was added (so its spans join the invocation's trace).
final class DeferredActions: Sendable {
    typealias Action = @Sendable () async throws -> Void

    private let actions = NIOLockedValueBox<[Action]>([])

    func append(_ action: @escaping Action) {
        let context = ServiceContext.current ?? .topLevel
        actions.withLockedValue {
            $0.append { try await ServiceContext.withValue(context) { try await action() } }
        }
    }

    /// Removes and returns every queued action.
    func take() -> [Action] {
        actions.withLockedValue { actions in
            defer { actions = [] }
            return actions
        }
    }
}
