import Testing

@_spi(LifecycleTesting) @testable import LambdaLifecycle

/// Every ordering Lambda allows, per strategy, as tables of (event, expected actions).
@Suite(.timeLimit(.minutes(2))) struct LifecycleStateMachineTests {
    typealias Action = LifecycleStateMachine.Action

    static let t0 = ContinuousClock.now
    static let d1 = t0 + .seconds(3)
    static let d2 = t0 + .seconds(6)

    enum Step {
        case start(registered: Bool)
        case received(String, ContinuousClock.Instant)
        case receivedInvalid(String)
        case handled(String)
        case posted(String)
        case invoke(String, ContinuousClock.Instant)
        case extensionFailed
        case drained(String)
    }

    /// Runs the steps and returns the actions of each.
    static func run(_ strategy: FlushStrategy, _ steps: [Step]) -> (machine: LifecycleStateMachine, actions: [[Action]]) {
        var machine = LifecycleStateMachine(strategy: strategy)
        var all: [[Action]] = []
        for step in steps {
            switch step {
            case .start(let registered): all.append(machine.start(extensionRegistered: registered, registrationFailure: registered ? nil : "refused"))
            case .received(let id, let deadline): all.append(machine.invocationReceived(id, deadline: deadline))
            case .receivedInvalid(let id): all.append(machine.invalidInvocationReceived(id))
            case .handled(let id): all.append(machine.handlerFinished(id))
            case .posted(let id): all.append(machine.responsePosted(id))
            case .invoke(let id, let deadline): all.append(machine.extensionReceivedInvoke(id, deadline: deadline))
            case .extensionFailed: all.append(machine.extensionFailed("next failed"))
            case .drained(let id): all.append(machine.drainFinished(id))
            }
        }
        return (machine, all)
    }

    // MARK: extension-gated

    @Test func extensionGatedInvokeBeforeResponse() {
        let (machine, actions) = Self.run(.extensionGated, [
            .start(registered: true), .invoke("a", Self.d1), .received("a", Self.d1), .handled("a"), .posted("a"), .drained("a"),
        ])
        #expect(actions == [
            [.callExtensionNext, .callRuntimeNext],
            [],                                   // INVOKE: wait for a's response
            [.runHandler("a")],
            [.postResponse("a")],                 // the caller gets its answer before any flush
            [.drain("a", invocationDeadline: Self.d1), .callRuntimeNext],
            [.callExtensionNext],                 // readiness only after the drain
        ])
        #expect(!machine.isGatingOnDrain)
        #expect(machine.strategy == .extensionGated)
    }

    @Test func extensionGatedResponseBeforeInvoke() {
        // The runtime can respond before the extension's INVOKE is read: the drain starts when the INVOKE arrives.
        let (_, actions) = Self.run(.extensionGated, [
            .start(registered: true), .received("a", Self.d1), .handled("a"), .posted("a"), .invoke("a", Self.d1), .drained("a"),
        ])
        #expect(actions == [
            [.callExtensionNext, .callRuntimeNext],
            [.runHandler("a")],
            [.postResponse("a")],
            [.callRuntimeNext],
            [.drain("a", invocationDeadline: Self.d1)],
            [.callExtensionNext],
        ])
    }

    @Test func extensionGatedDrainOutlivesTheNextInvocationsArrival() {
        // The runtime's next returns b while a's drain still runs (an emulator or a Lambda that misbehaves): b is
        // served, its response posted, and its drain waits for the extension to be done with a and get INVOKE b.
        let (machine, actions) = Self.run(.extensionGated, [
            .start(registered: true), .invoke("a", Self.d1), .received("a", Self.d1), .handled("a"), .posted("a"),
            .received("b", Self.d2), .handled("b"), .posted("b"),
            .drained("a"), .invoke("b", Self.d2), .drained("b"),
        ])
        #expect(actions == [
            [.callExtensionNext, .callRuntimeNext],
            [],
            [.runHandler("a")],
            [.postResponse("a")],
            [.drain("a", invocationDeadline: Self.d1), .callRuntimeNext],
            [.runHandler("b")],
            [.postResponse("b")],
            [.callRuntimeNext],
            [.callExtensionNext],
            [.drain("b", invocationDeadline: Self.d2)],
            [.callExtensionNext],
        ])
        #expect(!machine.isGatingOnDrain)
    }

    @Test func registrationFailureFallsBackToRuntimeGated() {
        let (machine, actions) = Self.run(.extensionGated, [
            .start(registered: false), .received("a", Self.d1), .handled("a"), .posted("a"), .drained("a"),
        ])
        #expect(actions == [
            [.announceFallback(from: .extensionGated, to: .runtimeGated, reason: "refused"), .callRuntimeNext],
            [.runHandler("a")],
            [.postResponse("a")],
            [.drain("a", invocationDeadline: Self.d1)],  // runtime's next waits for the drain
            [.callRuntimeNext],
        ])
        #expect(machine.strategy == .runtimeGated)
    }

    @Test func extensionNextFailureWhileIdleFallsBackForTheNextInvocation() {
        let (machine, actions) = Self.run(.extensionGated, [
            .start(registered: true), .invoke("a", Self.d1), .received("a", Self.d1), .handled("a"), .posted("a"), .drained("a"),
            .extensionFailed, .received("b", Self.d2), .handled("b"), .posted("b"), .drained("b"),
        ])
        #expect(actions[6] == [.announceFallback(from: .extensionGated, to: .runtimeGated, reason: "next failed")])
        #expect(actions[7...] == [
            [.runHandler("b")],
            [.postResponse("b")],
            [.drain("b", invocationDeadline: Self.d2)],
            [.callRuntimeNext],
        ])
        #expect(machine.strategy == .runtimeGated)
    }

    @Test func extensionNextFailureAfterAResponseDrainsItAtOnce() {
        // b was answered before the extension's next (for INVOKE b) failed: nobody else would drain b, so it is
        // drained now, and nothing is lost.
        let (_, actions) = Self.run(.extensionGated, [
            .start(registered: true), .received("b", Self.d2), .handled("b"), .posted("b"), .extensionFailed, .drained("b"),
        ])
        #expect(actions[3] == [.callRuntimeNext])
        #expect(actions[4] == [
            .announceFallback(from: .extensionGated, to: .runtimeGated, reason: "next failed"),
            .drain("b", invocationDeadline: Self.d2),
        ])
        #expect(actions[5] == [])  // a background drain gates nothing
    }

    @Test func failedExtensionIsNeverCalledAgain() {
        let (_, actions) = Self.run(.extensionGated, [.start(registered: true), .extensionFailed, .invoke("a", Self.d1)])
        #expect(actions[2].count == 1)
        guard case .reportUnexpected = actions[2].first else {
            Issue.record("expected the stray INVOKE to be reported, got \(actions[2])")
            return
        }
    }

    // MARK: runtime-gated, synchronous, periodic, early-next

    @Test func runtimeGatedDelaysTheRuntimesNext() {
        let (_, actions) = Self.run(.runtimeGated, [
            .start(registered: true), .received("a", Self.d1), .handled("a"), .posted("a"), .drained("a"), .invoke("x", Self.d1),
        ])
        #expect(actions == [
            [.callExtensionNext, .callRuntimeNext],  // the extension (no events) only makes Lambda send SIGTERM
            [.runHandler("a")],
            [.postResponse("a")],
            [.drain("a", invocationDeadline: Self.d1)],
            [.callRuntimeNext],
            [.callExtensionNext],  // a stray INVOKE is acknowledged at once
        ])
    }

    @Test func synchronousDrainsBeforeResponding() {
        let (_, actions) = Self.run(.synchronous, [
            .start(registered: true), .received("a", Self.d1), .handled("a"), .drained("a"), .posted("a"),
        ])
        #expect(actions == [
            [.callExtensionNext, .callRuntimeNext],
            [.runHandler("a")],
            [.drain("a", invocationDeadline: Self.d1)],
            [.postResponse("a")],
            [.callRuntimeNext],
        ])
    }

    @Test func periodicNeverFlushesPerInvocation() {
        let (_, actions) = Self.run(.periodic, [.start(registered: false), .received("a", Self.d1), .handled("a"), .posted("a")])
        #expect(actions == [
            [.callRuntimeNext],
            [.runHandler("a")],
            [.postResponse("a")],
            [.runDeferredActions("a", invocationDeadline: Self.d1), .callRuntimeNext],
        ])
    }

    @Test func earlyNextCallsNextWhileDraining() {
        let (_, actions) = Self.run(.earlyNext, [
            .start(registered: true), .received("a", Self.d1), .handled("a"), .posted("a"), .received("b", Self.d2), .drained("a"),
        ])
        #expect(actions[3] == [.drain("a", invocationDeadline: Self.d1), .callRuntimeNext])
        #expect(actions[4] == [.runHandler("b")])  // the next event, on top of a's drain
        #expect(actions[5] == [])
    }

    // MARK: misuse is reported, never acted on

    @Test func eventsInTheWrongStateAreReportedAndIgnored() {
        let (_, actions) = Self.run(.extensionGated, [
            .start(registered: true), .handled("nobody"), .posted("nobody"), .received("a", Self.d1), .received("b", Self.d2),
        ])
        for index in [1, 2, 4] {
            guard actions[index].count == 1, case .reportUnexpected = actions[index][0] else {
                Issue.record("step \(index): expected a single report, got \(actions[index])")
                continue
            }
        }
        #expect(actions[3] == [.runHandler("a")])
    }

    // MARK: invocations that cannot be served

    @Test func invalidInvocationIsPostedWithoutAHandlerThenTheLoopGoesOn() {
        let (_, runtimeGated) = Self.run(.runtimeGated, [.start(registered: false), .receivedInvalid("bad"), .posted("bad"), .drained("bad")])
        #expect(runtimeGated[1] == [.postResponse("bad")])
        if case .drain("bad", _)? = runtimeGated[2].first, runtimeGated[2].count == 1 {} else { Issue.record("expected a drain of bad, got \(runtimeGated[2])") }
        #expect(runtimeGated[3] == [.callRuntimeNext])
        let (_, synchronous) = Self.run(.synchronous, [.start(registered: false), .receivedInvalid("bad"), .posted("bad")])
        #expect(synchronous.dropFirst() == [[.postResponse("bad")], [.callRuntimeNext]])
    }

    @Test func invalidInvocationWhileHandlingIsReportedNotServed() {
        let (_, actions) = Self.run(.runtimeGated, [.start(registered: false), .received("a", Self.d1), .receivedInvalid("bad")])
        #expect(actions.last == [.reportUnexpected("invalid invocation bad arrived while the runtime was handling(\"a\")")])
    }
}
