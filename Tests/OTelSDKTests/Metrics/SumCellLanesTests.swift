import Testing

@testable import OTelSDK

/// A sum cell that saw a collision keeps its earlier total in the base word and adds to per-CPU
/// lanes from then on; a drain must add both up, with the wrapping of the instrument's type.
/// (`addToLane` is where an add goes after its compare-and-swap on the base word failed; calling it
/// plays the collision.)
@Suite("sum cells over per-CPU lanes")
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
}
