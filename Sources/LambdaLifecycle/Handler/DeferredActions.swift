import NIOConcurrencyHelpers

/// Work a handler queues to run after its response has been posted and before Lambda may freeze the environment
/// (``LambdaContext/defer(_:)``). Thread-safe; actions run in the order they were added.
final class DeferredActions: Sendable {
    typealias Action = @Sendable () async throws -> Void

    private let actions = NIOLockedValueBox<[Action]>([])

    func append(_ action: @escaping Action) {
        actions.withLockedValue { $0.append(action) }
    }

    /// Removes and returns every queued action.
    func take() -> [Action] {
        actions.withLockedValue { actions in
            defer { actions = [] }
            return actions
        }
    }
}
