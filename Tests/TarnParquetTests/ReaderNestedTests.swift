// Reading nested pyarrow files: list<float> embeddings, list<struct>, struct<list>,
// map<string,int>, map<string,struct>, list<list>, required lists, legacy list/item
// naming; nulls and empties at every level; v1 and v2 pages; projection of nested paths.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Reader: nested files")
struct ReaderNestedTests {
    static let emb: [ScalarValue] = [L([F(1), F(2)]), L([]), N, L([F(3.5), N, F(-1)]), L([F(0)]), L([N]), L([]), L([F(7), F(8), F(9)])]
    static let ls: [ScalarValue] = [
        L([St([I(1), S("x")]), St([N, S("y")])]), N, L([]), L([N]), L([St([I(2), N])]), L([St([I(3), S("z")])]), N, L([]),
    ]
    static let st: [ScalarValue] = [
        St([I(1), L([I(1), I(2)])]), N, St([N, N]), St([I(3), L([])]), St([I(4), L([N, I(5)])]), N, St([I(6), L([I(6)])]), St([N, L([])]),
    ]
    static let m: [ScalarValue] = [
        M([(S("a"), I(1)), (S("b"), N)]), N, M([]), M([(S("c"), I(3))]),
        M([(S("d"), I(4)), (S("e"), I(5)), (S("f"), I(6))]), M([]), N, M([(S("g"), N)]),
    ]
    static let ms: [ScalarValue] = [
        M([(S("k"), St([F(1.5), B(true)]))]), M([]), N, M([(S("k2"), N), (S("k3"), St([N, B(false)]))]),
        N, M([(S("z"), St([F(-2), N]))]), M([]), M([]),
    ]
    static let ll: [ScalarValue] = [
        L([L([I(1), I(2)]), L([])]), L([N]), N, L([]), L([L([I(3)])]), L([L([I(4), N]), N, L([I(5)])]), L([]), L([L([])]),
    ]
    static let req: [ScalarValue] = [L([I(1)]), L([I(2), I(3)]), L([]), L([I(4)]), L([I(5)]), L([I(6)]), L([]), L([I(7), I(8)])]

    @Test("maps nested pyarrow types to list, struct and map")
    func schema() throws {
        let reader = try ReaderTestSupport.open("nested_v1_snappy")
        let fields = reader.schema.fields
        #expect(fields.map(\.name) == ["emb", "ls", "st", "m", "ms", "ll", "req"])
        #expect(fields[0].type == .list(Field("element", .float32)))
        #expect(fields[1].type == .list(Field("element", .structure([Field("a", .int32), Field("b", .string)]))))
        #expect(fields[2].type == .structure([Field("x", .int64), Field("l", .list(Field("element", .int32)))]))
        #expect(fields[3].type == .map(key: Field("key", .string, nullable: false), value: Field("value", .int32)))
        #expect(fields[5].type == .list(Field("element", .list(Field("element", .int64)))))
        #expect(fields[6].type == .list(Field("element", .int32, nullable: false)))
        #expect(!fields[6].nullable)
        let leaf = try #require(reader.parquetSchema.column(path: "ll.list.element.list.element"))
        #expect(leaf.maxDefinitionLevel == 5)
        #expect(leaf.maxRepetitionLevel == 2)
        #expect(leaf.topLevelFieldIndex == 5)
    }

    @Test("assembles nulls, empty lists and nested values exactly", arguments: ["nested_v1_snappy", "nested_v2_zstd"])
    func values(fixture: String) throws {
        let batch = try ReaderTestSupport.readAll(fixture)
        #expect(batch.rowCount == 8)
        try ReaderTestSupport.expectColumn(batch, "emb", Self.emb)
        try ReaderTestSupport.expectColumn(batch, "ls", Self.ls)
        try ReaderTestSupport.expectColumn(batch, "st", Self.st)
        try ReaderTestSupport.expectColumn(batch, "m", Self.m)
        try ReaderTestSupport.expectColumn(batch, "ms", Self.ms)
        try ReaderTestSupport.expectColumn(batch, "ll", Self.ll)
        try ReaderTestSupport.expectColumn(batch, "req", Self.req)
    }

    @Test("reads lists whose element is named item (use_compliant_nested_type=False)")
    func legacyItemNames() throws {
        let batch = try ReaderTestSupport.readAll("legacy_list_item")
        #expect(batch.schema.fields[0].type == .list(Field("element", .float32)))
        try ReaderTestSupport.expectColumn(batch, "emb", Self.emb)
        try ReaderTestSupport.expectColumn(batch, "ls", Self.ls)
    }

    @Test("a nested path projects its struct with only that child")
    func projectStructChild() throws {
        let reader = try ReaderTestSupport.open("nested_v1_snappy")
        let batch = try reader.readRowGroup(0, columns: ["st.x", "emb"])
        #expect(batch.schema.names == ["st", "emb"])
        #expect(batch.schema.fields[0].type == .structure([Field("x", .int64)]))
        try ReaderTestSupport.expectColumn(batch, "st", [St([I(1)]), N, St([N]), St([I(3)]), St([I(4)]), N, St([I(6)]), St([N])])
        try ReaderTestSupport.expectColumn(batch, "emb", Self.emb)
    }

    @Test("a path through a list projects the struct field of its elements")
    func projectListStructChild() throws {
        let reader = try ReaderTestSupport.open("nested_v1_snappy")
        for path in ["ls.b", "ls.element.b", "ls.list.element.b"] {
            let batch = try reader.readRowGroup(0, columns: [path])
            #expect(batch.schema.fields[0].type == .list(Field("element", .structure([Field("b", .string)]))), "\(path)")
            try ReaderTestSupport.expectColumn(batch, "ls", [
                L([St([S("x")]), St([S("y")])]), N, L([]), L([N]), L([St([N])]), L([St([S("z")])]), N, L([]),
            ])
        }
    }

    @Test("an unknown column is an invalid argument naming the file")
    func unknownColumn() throws {
        let reader = try ReaderTestSupport.open("nested_v1_snappy")
        do {
            _ = try reader.readRowGroup(0, columns: ["nope"])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.file == "nested_v1_snappy.parquet")
        }
        #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["st.nope"]) }
        #expect(throws: ParquetError.self) { try reader.readRowGroup(3) }
    }
}
