// Hash join fast paths — the open-addressing table for a unique fixed-width build key,
// probe keys with dictionary codes, whole probe batches matched by all workers, probe
// columns passed through and build key columns shared — pinned against the general
// chained table and a reference join computed with a Swift dictionary.
import Testing
import TarnColumnar
@testable import TarnSQL

@Suite("Hash join fast paths")
struct HashJoinFastPathTests {
    /// Fact rows (key, v) and dimension rows (key, w); keys are generated as integers and
    /// stored as `keyType` (0 becomes -0.0 in the facts when float, to meet 0.0).
    struct Sides {
        var facts: [RecordBatch]
        var dim: [RecordBatch]
        var factSchema: Schema
        var dimSchema: Schema
        var keyType: DataType
    }

    static func keyColumn(_ keys: [Int?], _ type: DataType, negativeZero: Bool) throws -> Column {
        switch type {
        case .int32: return try Column(.int32, keys.map { $0.map { Int32($0) } })
        case .float64: return try Column(.float64, keys.map { $0.map { $0 == 0 && negativeZero ? -0.0 : Double($0) } })
        case .string: return try Column(strings: keys.map { $0.map { "key-\($0)" } })
        default: return try Column(.int64, keys.map { $0.map { Int64($0) } })
        }
    }

    /// `factRows` facts in batches of `batchRows` (keys in 0..<3000, every 31st NULL), and
    /// `dimRows` dimension rows with keys 0, 2, 4, ... (each twice when `duplicates`) plus
    /// one NULL key.
    static func sides(keyType: DataType, factRows: Int, batchRows: Int, dimRows: Int,
                      duplicates: Bool = false, seed: UInt64 = 7) throws -> Sides {
        var rng = SeededGenerator(seed: seed)
        let factKeys: [Int?] = (0..<factRows).map { row in row % 31 == 5 ? nil : Int(rng.next() % 3_000) }
        let factSchema = Schema([Field("k", keyType), Field("v", .int64)])
        var facts: [RecordBatch] = []
        var start = 0
        while start < factRows {
            let end = min(factRows, start + batchRows)
            let keys = try keyColumn(Array(factKeys[start..<end]), keyType, negativeZero: true)
            let values = try Column(.int64, (start..<end).map { Int64?(Int64($0)) })
            facts.append(try RecordBatch(schema: factSchema, columns: [keys, values]))
            start = end
        }
        var dimKeys: [Int?] = (0..<dimRows).map { duplicates ? ($0 / 2) * 2 : $0 * 2 }
        if dimRows > 0 { dimKeys[dimRows / 2] = nil }
        let dimSchema = Schema([Field("k", keyType), Field("w", .string)])
        let dim = dimRows == 0 ? [] : [try RecordBatch(schema: dimSchema, columns: [
            try keyColumn(dimKeys, keyType, negativeZero: false),
            try Column(strings: (0..<dimRows).map { $0 % 7 == 3 ? nil : "w\($0)" }),
        ])]
        return Sides(facts: facts, dim: dim, factSchema: factSchema, dimSchema: dimSchema, keyType: keyType)
    }

    /// The join of facts with dim on the key as canonical rows, the dimension built. With
    /// `buildLeft` the dimension is the left input (so LEFT keeps unmatched dimension rows).
    /// `residual` keeps pairs whose fact value v is not a multiple of 3.
    /// Probe batches of `parallelRows` rows or more are split over the workers.
    static func join(_ sides: Sides, kind: JoinKind, buildLeft: Bool, fast: Bool, parallelism: Int = 2,
                     parallelRows: Int = 1_000, residual: Bool = false) throws -> (rows: [String], usedUniqueTable: Bool) {
        let facts = CountingSource(schema: sides.factSchema, batches: sides.facts)
        let dim = CountingSource(schema: sides.dimSchema, batches: sides.dim)
        let vIndex = buildLeft ? 3 : 1
        let condition = PhysicalExpression(type: .boolean, text: "v % 3 <> 0") { batch throws(SQLError) in
            guard case let .int64(values) = batch.columns[vIndex].storage else { throw SQLError(.execution, "v is not int64") }
            do {
                return try Column(booleans: values.map { Bool?($0 % 3 != 0) })
            } catch {
                throw SQLError(.execution, "\(error)")
            }
        }
        let key = columnRef(0, sides.keyType, "k")
        let op = try HashJoinOperator(left: buildLeft ? dim : facts, right: buildLeft ? facts : dim, kind: kind,
                                      leftKeys: [key], rightKeys: [key], residual: residual ? condition : nil,
                                      buildLeft: buildLeft, context: context(parallelism: parallelism),
                                      keyColumnPairs: fast ? [(0, 0)] : [])
        op.fastPaths = fast
        op.parallelRows = parallelRows
        let out = canonical(rows(try op.drain()))
        return (out, op.usesUniqueKeyTable)
    }

    /// The same join computed with a dictionary over the dimension's keys.
    static func reference(_ sides: Sides, kind: JoinKind, buildLeft: Bool) -> [String] {
        let factRows = rows(sides.facts), dimRows = rows(sides.dim)
        var dimByKey: [ScalarValue: [Int]] = [:]
        for (i, row) in dimRows.enumerated() where row[0] != .null { dimByKey[row[0], default: []].append(i) }
        let keepFacts = kind == .full || (kind == .left && !buildLeft) || (kind == .right && buildLeft)
        let keepDim = kind == .full || (kind == .left && buildLeft) || (kind == .right && !buildLeft)
        var out: [[ScalarValue]] = []
        var dimMatched = [Bool](repeating: false, count: dimRows.count)
        func emit(_ fact: [ScalarValue], _ dim: [ScalarValue]) { out.append(buildLeft ? dim + fact : fact + dim) }
        for fact in factRows {
            let matches = fact[0] == .null ? [] : dimByKey[fact[0]] ?? []
            for i in matches {
                emit(fact, dimRows[i])
                dimMatched[i] = true
            }
            if matches.isEmpty && keepFacts { emit(fact, [.null, .null]) }
        }
        if keepDim {
            for (i, dim) in dimRows.enumerated() where !dimMatched[i] { emit([.null, .null], dim) }
        }
        return canonical(out)
    }

    @Test("probe batches above 65,536 rows (the default split) match a reference join",
          arguments: zip([JoinKind.inner, .full], [false, true]))
    func largeBatches(kind: JoinKind, buildLeft: Bool) throws {
        let sides = try Self.sides(keyType: .int64, factRows: 66_000, batchRows: 66_000, dimRows: 1_200)
        let fast = try Self.join(sides, kind: kind, buildLeft: buildLeft, fast: true, parallelRows: 65_536)
        #expect(fast.usedUniqueTable)
        #expect(fast.rows == Self.reference(sides, kind: kind, buildLeft: buildLeft))
    }

    @Test("unique int64 build keys: probe batches split over the workers match the general table and a reference, every kind",
          arguments: [JoinKind.inner, .left, .right, .full], [false, true])
    func splitBatches(kind: JoinKind, buildLeft: Bool) throws {
        let sides = try Self.sides(keyType: .int64, factRows: 6_000, batchRows: 6_000, dimRows: 1_200)
        let fast = try Self.join(sides, kind: kind, buildLeft: buildLeft, fast: true)
        #expect(fast.usedUniqueTable)
        let general = try Self.join(sides, kind: kind, buildLeft: buildLeft, fast: false, parallelism: 1)
        #expect(!general.usedUniqueTable)
        #expect(fast.rows == general.rows)
        #expect(fast.rows == Self.reference(sides, kind: kind, buildLeft: buildLeft))
    }

    @Test("every fact matching (probe columns passed through) gives the same rows as the general table",
          arguments: [JoinKind.inner, .left])
    func everyRowMatches(kind: JoinKind) throws {
        // Dimension keys 0, 2, ..., 5998 cover every even fact key; odd keys are made even
        // and NULL keys 0, so that every fact matches.
        var sides = try Self.sides(keyType: .int64, factRows: 6_000, batchRows: 6_000, dimRows: 3_000)
        let evenKeys = try sides.facts.map { batch throws -> RecordBatch in
            let keys = rows([batch]).map { row -> Int? in
                guard case let .int(k) = row[0] else { return 0 }
                return Int(k / 2) * 2
            }
            return try RecordBatch(schema: sides.factSchema, columns: [try Self.keyColumn(keys, .int64, negativeZero: false), batch.columns[1]])
        }
        sides.facts = evenKeys
        let fast = try Self.join(sides, kind: kind, buildLeft: false, fast: true)
        #expect(fast.rows == (try Self.join(sides, kind: kind, buildLeft: false, fast: false, parallelism: 1)).rows)
    }

    @Test("key types: int32, float64 (-0.0 meets 0.0), string and int64 keys agree with the general table, batches below and above the split",
          arguments: [DataType.int32, .float64, .string, .int64], [JoinKind.inner, .left, .right])
    func keyTypes(type: DataType, kind: JoinKind) throws {
        let sides = try Self.sides(keyType: type, factRows: 3_000, batchRows: 700, dimRows: 900)
        let fast = try Self.join(sides, kind: kind, buildLeft: false, fast: true, parallelRows: 65_536)
        #expect(fast.usedUniqueTable == (type != .string))
        let general = try Self.join(sides, kind: kind, buildLeft: false, fast: false, parallelism: 1)
        #expect(fast.rows == general.rows)
        #expect(!fast.rows.isEmpty)
        // One probe batch split over the workers (string keys: the chained table's split).
        let whole = try Self.sides(keyType: type, factRows: 3_000, batchRows: 3_000, dimRows: 900)
        #expect((try Self.join(whole, kind: kind, buildLeft: false, fast: true)).rows
                == (try Self.join(whole, kind: kind, buildLeft: false, fast: false, parallelism: 1)).rows)
    }

    @Test("a residual condition filters fast-path pairs before outer padding, both build sides",
          arguments: zip([JoinKind.inner, .left, .right, .full, .left], [false, true, false, true, false]))
    func residual(kind: JoinKind, buildLeft: Bool) throws {
        let sides = try Self.sides(keyType: .int64, factRows: 6_000, batchRows: 6_000, dimRows: 1_200)
        let fast = try Self.join(sides, kind: kind, buildLeft: buildLeft, fast: true, residual: true)
        let general = try Self.join(sides, kind: kind, buildLeft: buildLeft, fast: false, parallelism: 1, residual: true)
        #expect(fast.rows == general.rows)
    }

    @Test("duplicate build keys leave the unique table for the chained one, same rows", arguments: [JoinKind.inner, .full])
    func duplicates(kind: JoinKind) throws {
        let sides = try Self.sides(keyType: .int64, factRows: 6_000, batchRows: 6_000, dimRows: 1_200, duplicates: true)
        let fast = try Self.join(sides, kind: kind, buildLeft: false, fast: true)
        #expect(!fast.usedUniqueTable)
        #expect(fast.rows == Self.reference(sides, kind: kind, buildLeft: false))
    }

    @Test("an empty build side: inner is empty, outer keeps every probe row", arguments: [JoinKind.inner, .left])
    func emptyBuild(kind: JoinKind) throws {
        let sides = try Self.sides(keyType: .int64, factRows: 6_000, batchRows: 6_000, dimRows: 0)
        let fast = try Self.join(sides, kind: kind, buildLeft: false, fast: true)
        #expect(fast.rows == Self.reference(sides, kind: kind, buildLeft: false))
        #expect(fast.rows.count == (kind == .left ? 6_000 : 0))
    }

    @Test("probe keys carrying dictionary codes (each value probed once) give the rows of the plain keys",
          arguments: [JoinKind.inner, .left, .right, .full], [1_000, 65_536])
    func dictionaryCodes(kind: JoinKind, parallelRows: Int) throws {
        // 40 distinct values (odd ones are not in the dimension, some never used), NULL rows
        // holding code 0, one NULL dimension key.
        var rng = SeededGenerator(seed: 11)
        let values = try Column(.int64, (0..<40).map { Int64?(Int64($0 * 3)) })
        let codes: [Int32] = (0..<6_000).map { _ in Int32(rng.next() % 30) }
        let nulls = (0..<6_000).map { $0 % 17 == 4 }
        let plain = try Column(.int64, (0..<6_000).map { nulls[$0] ? nil : Int64(codes[$0]) * 3 })
        let coded = try plain.withDictionary(codes: codes, values: values)
        let factSchema = Schema([Field("k", .int64), Field("v", .int64)])
        let v = try Column(.int64, (0..<6_000).map { Int64?(Int64($0)) })
        let dimSchema = Schema([Field("k", .int64), Field("w", .string)])
        let dim = [try RecordBatch(schema: dimSchema, columns: [
            try Column(.int64, (0..<50).map { $0 == 7 ? nil : Int64?(Int64($0 * 2)) }),
            try Column(strings: (0..<50).map { "w\($0)" }),
        ])]
        let withCodes = Sides(facts: [try RecordBatch(schema: factSchema, columns: [coded, v])], dim: dim,
                              factSchema: factSchema, dimSchema: dimSchema, keyType: .int64)
        let withoutCodes = Sides(facts: [try RecordBatch(schema: factSchema, columns: [plain, v])], dim: dim,
                                 factSchema: factSchema, dimSchema: dimSchema, keyType: .int64)
        let fast = try Self.join(withCodes, kind: kind, buildLeft: false, fast: true, parallelRows: parallelRows)
        #expect(fast.usedUniqueTable)
        #expect(fast.rows == (try Self.join(withoutCodes, kind: kind, buildLeft: false, fast: false, parallelism: 1)).rows)
        #expect(fast.rows == Self.reference(withoutCodes, kind: kind, buildLeft: false))
        #expect(fast.rows.count > 1_000)
    }

    @Test("the unique table finds every stored key and no absent one, NULL keys left out")
    func uniqueTable() throws {
        let keys: [UInt64] = (0..<5_000).map { UInt64($0) &* 0x1_0000_0001 }
        let validity = Bitmap((0..<5_000).map { $0 % 10 != 4 })
        let table = try #require(UniqueKeyTable(keys: keys, validity: validity))
        let probe: [Int64] = (0..<10_000).map { Int64(bitPattern: UInt64($0 / 2) &* 0x1_0000_0001) + Int64($0 % 2) }
        var probeRows = [Int](repeating: -1, count: probe.count)
        var buildRows = [Int](repeating: -1, count: probe.count)
        let count = try probeRows.withUnsafeMutableBufferPointer { p in
            try buildRows.withUnsafeMutableBufferPointer { b in
                table.probe(probe, validity: nil, range: 0..<probe.count,
                            probeOut: try #require(p.baseAddress), buildOut: try #require(b.baseAddress))
            }
        }
        let expected = (0..<10_000).filter { $0 % 2 == 0 && ($0 / 2) % 10 != 4 }
        #expect(Array(probeRows[0..<count]) == expected)
        #expect(Array(buildRows[0..<count]) == expected.map { $0 / 2 })
        #expect(UniqueKeyTable(keys: [1, 2, 1], validity: nil) == nil)
        #expect(UniqueKeyTable(keys: [1, 2, 1], validity: Bitmap([true, true, false])) != nil)
    }
}
