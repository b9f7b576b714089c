// ValidityBuilder and the flat-mode null spread: pages of odd sizes with scattered
// nulls (word boundaries inside pages, all-valid pages before and after) build the same
// bitmap and the same value slots as a per-entry reference.
import Testing
@testable import TarnParquet

@Suite("Validity builder and null spread")
struct ValidityBuilderTests {
    @Test("page-by-page validity equals the per-entry reference", arguments: [1, 7, 63, 64, 65, 200])
    func validity(pageSize: Int) {
        var generator = EncSeededGenerator(seed: UInt64(pageSize))
        var builder = ValidityBuilder()
        var expected: [Bool] = []
        for page in 0..<9 {
            // Pages 0 and 5 are all valid (appendValid), the rest have random nulls.
            if page == 0 || page == 5 {
                builder.appendValid(pageSize)
                expected += Array(repeating: true, count: pageSize)
                continue
            }
            let levels: [Int32] = (0..<pageSize).map { _ in Int32.random(in: 0...3, using: &generator) == 0 ? 0 : 1 }
            levels.withUnsafeBufferPointer { builder.append($0, maxDefinition: 1) }
            expected += levels.map { $0 == 1 }
        }
        let bitmap = builder.finish()
        #expect(builder.count == expected.count)
        #expect(builder.nulls == expected.filter { !$0 }.count)
        if let bitmap {
            #expect((0..<expected.count).map { bitmap[$0] } == expected)
        } else {
            #expect(!expected.contains(false))
        }
    }

    @Test("spreading dense values over nulls puts each value in its slot and zero at nulls", arguments: [0, 3])
    func spread(start: Int) {
        var generator = EncSeededGenerator(seed: 99)
        let levels: [Int32] = (0..<150).map { i in i < 2 || i > 147 ? 0 : (Int32.random(in: 0...2, using: &generator) == 0 ? 0 : 1) }
        let present = levels.filter { $0 == 1 }.count
        var values: [Double] = (0..<start).map { -Double($0) - 1 } + (0..<present).map { Double($0) + 1 }
        levels.withUnsafeBufferPointer {
            FixedSpread.spread(&values, from: start, definition: $0, maxDefinition: 1, zero: 0)
        }
        var next = 1.0
        var expected: [Double] = (0..<start).map { -Double($0) - 1 }
        for level in levels {
            if level == 1 { expected.append(next); next += 1 } else { expected.append(0) }
        }
        #expect(values == expected)
    }

    @Test("an all-null page spreads zeros")
    func allNull() {
        var values: [Int64] = []
        let levels = [Int32](repeating: 0, count: 10)
        levels.withUnsafeBufferPointer { FixedSpread.spread(&values, from: 0, definition: $0, maxDefinition: 1, zero: 0) }
        #expect(values == Array(repeating: 0, count: 10))
    }
}
