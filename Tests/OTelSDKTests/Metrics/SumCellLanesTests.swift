import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import OTelSDK

/// A sum cell that saw a second thread (integers) or a collision (floating point) keeps its earlier
/// total in the base word and adds to per-CPU lanes from then on; a drain must add both up, with the
/// wrapping of the instrument's type. (`addToLane` is where such an add goes; calling it plays the
/// second thread or the collision.)
@Suite("sum cells over per-CPU lanes", .timeLimit(.minutes(2)))
struct SumCellLanesTests {
    @Test("an integer sum adds up across the base word and the lanes, wrapping as Int64 does")
    func integerSumAcrossLanes() {
        let cell = SumCell()
        cell.add(Int64.max)
        cell.addToLane(Int64(1))
        cell.add(Int64(-5))
        #expect(cell.drain(isInteger: true).value == .int(Int64.max &+ 1 &- 5))
        #expect(cell.drain(isInteger: true).value == .int(0))
        cell.add(Int64(3))
        #expect(cell.drain(isInteger: true).value == .int(3))
    }

    @Test("a floating-point sum adds up across the base word and the lanes")
    func floatingPointSumAcrossLanes() {
        let cell = SumCell()
        cell.add(0.5)
        cell.addToLane(0.25)
        cell.add(-2.0)
        #expect(cell.drain(isInteger: false).value == .double(-1.25))
        #expect(cell.drain(isInteger: false).value == .double(0))
    }

    @Test("integer adds: the first thread's stay in the base word, also across a drain; another thread's spread the cell")
    func integerCellSpreadsOnASecondThread() {
        let cell = SumCell()
        cell.add(Int64(1))
        #expect(cell.drain(isInteger: true).value == .int(1))
        cell.add(Int64(2))
        #expect(cell.lanes.current() == nil, "one thread, even with a drain between its adds, never spreads the cell")

        let added = DispatchSemaphore(value: 0)
        Thread {
            cell.add(Int64(4))
            added.signal()
        }.start()
        added.wait()
        #expect(cell.lanes.current() != nil, "an add from a second thread spreads the cell")
        cell.add(Int64(8))
        #expect(cell.drain(isInteger: true).value == .int(14))
    }

    @Test("integer adds from the owning thread and from others, drained while they run, are each counted once")
    func integerAddsFromSeveralThreads() {
        let cell = SumCell()
        for _ in 0..<1_000 { cell.add(Int64(3)) }  // this thread owns the base word
        let drained = NIOLockedValueBox(Int64(0))
        let threads = 4
        let adds = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for index in 1...adds {
                cell.add(Int64(5))
                if index % 1_000 == 0, case .int(let value) = cell.drain(isInteger: true).value {
                    drained.withLockedValue { $0 += value }
                }
            }
        }
        let expected = 3_000 + Int64(threads * adds * 5)
        #expect(cell.drain(isInteger: true).value == .int(expected - drained.withLockedValue { $0 }))
    }
}
