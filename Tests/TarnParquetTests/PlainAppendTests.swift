// PLAIN fixed-width appends: values copied from unaligned bytes into an empty, a
// reserved-empty and a non-empty array land once, in order, and keep the reservation.
import Testing
@testable import TarnParquet

@Suite("PLAIN bitwise append")
struct PlainAppendTests {
    /// The little-endian bytes of `values`, shifted by `misalignment` bytes.
    static func bytes(_ values: [Double], misalignment: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0xAB, count: misalignment)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    @Test("unaligned values append after existing ones, into reserved or fresh arrays", arguments: [0, 1, 3, 7])
    func append(misalignment: Int) throws {
        let first: [Double] = [1.5, -2, .infinity]
        let second: [Double] = (0..<37).map { Double($0) * 0.25 - 3 }
        var fresh: [Double] = []
        var reserved: [Double] = []
        reserved.reserveCapacity(100)
        let capacity = reserved.capacity
        for page in [first, second] {
            let raw = Self.bytes(page, misalignment: misalignment)
            raw.withUnsafeBytes { all in
                let values = UnsafeRawBufferPointer(rebasing: all[misalignment...])
                PlainDecoder.appendBitwise(values, count: page.count, to: &fresh)
                PlainDecoder.appendBitwise(values, count: page.count, to: &reserved)
            }
        }
        #expect(fresh == first + second)
        #expect(reserved == first + second)
        #expect(reserved.capacity == capacity)
    }

    @Test("a sequence of bitwise values iterates like its copy")
    func iterates() {
        let raw = Self.bytes([4, 5, 6], misalignment: 1)
        raw.withUnsafeBytes { all in
            let values = BitwiseValues<Double>(bytes: UnsafeRawBufferPointer(rebasing: all[1...]), count: 3)
            #expect(Array(values.makeIterator().lazySequence) == [4, 5, 6])
        }
    }
}

extension IteratorProtocol {
    /// The remaining elements as a sequence (to iterate without the bulk-copy path).
    var lazySequence: IteratorSequence<Self> { IteratorSequence(self) }
}
