// Column(producedOffsets:) — the decoder's byte-array init: it checks the O(1) facts
// (lengths, type, offsets starting at 0 and ending at the data) and builds the same
// column as the fully checking public init.
import Testing
@testable import TarnColumnar

@Suite("Produced byte-array offsets")
struct ProducedOffsetsTests {
    @Test("valid produced offsets build the same column as the public init")
    func matchesPublicInit() throws {
        let data = Array("abcdef".utf8)
        let validity = Bitmap(words: [0b101], count: 3)
        let fast = try Column(producedOffsets: .string, count: 3, validity: validity, offsets: [0, 2, 2, 6], data: data)
        let checked = try Column(type: .string, count: 3, validity: validity, storage: .bytes(offsets: [0, 2, 2, 6], data: data))
        #expect(fast.count == checked.count)
        #expect(fast.validity == checked.validity)
        #expect((0..<3).map { fast.isNull($0) } == [false, true, false])
        guard case let .bytes(fastOffsets, fastData) = fast.storage, case let .bytes(offsets, data) = checked.storage else {
            Issue.record("not byte storage")
            return
        }
        #expect(fastOffsets == offsets)
        #expect(fastData == data)
    }

    @Test("wrong ends, counts or types are rejected", arguments: [
        ([1, 2, 6], 2, DataType.string), ([0, 2, 5], 2, .string), ([0, 6], 2, .string), ([0, 2, 6], 2, .int64),
    ] as [([Int32], Int, DataType)])
    func rejects(offsets: [Int32], count: Int, type: DataType) {
        #expect(throws: ColumnarError.self) {
            try Column(producedOffsets: type, count: count, validity: nil, offsets: offsets, data: Array("abcdef".utf8))
        }
    }
}
