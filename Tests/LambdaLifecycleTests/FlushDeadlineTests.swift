import Testing

@testable import LambdaLifecycle

@Suite(.timeLimit(.minutes(2))) struct FlushDeadlineTests {
    let now = ContinuousClock.now
    let rule = FlushDeadline(cap: .seconds(10), safetyMargin: .milliseconds(200))

    @Test func capWinsWhenTheInvocationHasTimeLeft() {
        #expect(rule.deadline(invocationDeadline: now + .seconds(60), now: now) == now + .seconds(10))
    }

    @Test func invocationDeadlineMinusMarginWinsBeforeTheCap() {
        #expect(rule.deadline(invocationDeadline: now + .seconds(3), now: now) == now + .milliseconds(2800))
    }

    @Test func neverInThePast() {
        #expect(rule.deadline(invocationDeadline: now + .milliseconds(100), now: now) == now)
        #expect(rule.deadline(invocationDeadline: now - .seconds(1), now: now) == now)
    }
}
