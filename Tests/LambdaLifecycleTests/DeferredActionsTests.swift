import NIOConcurrencyHelpers
import ServiceContextModule
import Testing

@testable import LambdaLifecycle

private enum MarkerKey: ServiceContextKey {
    typealias Value = String
}

@Suite(.timeLimit(.minutes(2))) struct DeferredActionsTests {
    @Test func actionsRunInOrderInTheContextTheyWereQueuedIn() async throws {
        let deferred = DeferredActions()
        let seen = NIOLockedValueBox<[String]>([])
        var context = ServiceContext.topLevel
        context[MarkerKey.self] = "invocation-1"
        ServiceContext.withValue(context) {
            deferred.append { seen.withLockedValue { $0.append("first in \(ServiceContext.current?[MarkerKey.self] ?? "none")") } }
            deferred.append { seen.withLockedValue { $0.append("second in \(ServiceContext.current?[MarkerKey.self] ?? "none")") } }
        }
        let actions = deferred.take()
        #expect(deferred.take().isEmpty)
        for action in actions {
            try await action()
        }
        #expect(seen.withLockedValue { $0 } == ["first in invocation-1", "second in invocation-1"])
    }
}
