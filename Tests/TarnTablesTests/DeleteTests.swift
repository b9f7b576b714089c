// DELETE: copy-on-write row removal checked against a reference computed here from the
// Rows fixture (id, name "n<id>", score id/2 or NULL when id % 5 == 0, day 20000 + id % 3);
// pruning keeps untouched files, time travel still sees old rows, bad input commits nothing.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("DELETE")
struct DeleteTests {

    @Test("rows whose predicate is TRUE go, NULL and FALSE rows stay; files that cannot match keep their paths",
          arguments: [false, true])
    func deleteByDataColumn(partitioned: Bool) throws {
        let table = try Rows.table(partitioned: partitioned)
        let before = try table.snapshot()
        let predicate = Predicate.comparison(column: "score", op: .greater, value: .float(7))
        let metrics = try table.delete(where: predicate)
        let expected = (0..<30).filter { id in !((Rows.score(id) ?? -1) > 7) }.map(Int64.init)
        #expect(Rows.ids(try table.read()) == expected)
        #expect(metrics.version == 4)
        #expect(metrics.numDeletedRows == 30 - expected.count)
        #expect(metrics.numDeletedRows == (0..<30).filter { (Rows.score($0) ?? 0) > 7 }.count)
        // Files of ids 0..<10 have score ≤ 4.5: pruned by stats, never rewritten.
        let after = Set(try table.snapshot().files.map(\.path))
        for file in before.files(matching: .comparison(column: "id", op: .less, value: .int(10))) {
            #expect(after.contains(file.path))
        }
        #expect(Rows.ids(try table.read(asOf: .version(3))) == (0..<30).map(Int64.init))
        let record = try #require(try table.history(limit: 1).first)
        #expect(record.commitInfo?.operation == "DELETE")
        #expect(record.commitInfo?.operationParameters?["predicate"] == predicate.description)
        let m = try #require(record.commitInfo?.operationMetrics)
        #expect(m["numDeletedRows"] == String(metrics.numDeletedRows))
        #expect(m["numCopiedRows"] == String(metrics.numCopiedRows))
        #expect(m["numRemovedFiles"] == String(metrics.numRemovedFiles))
        #expect(m["numAddedFiles"] == String(metrics.numAddedFiles))
        #expect(m["executionTimeMs"] != nil)
        let untouched = try untouchedRows(before: before, table: table)
        #expect(metrics.numCopiedRows + metrics.numDeletedRows + untouched == 30)
    }

    /// Rows in files the delete left in place.
    func untouchedRows(before: Snapshot, table: Table) throws -> Int {
        let kept = Set(try table.snapshot().files.map(\.path))
        let files = before.files.filter { kept.contains($0.path) }
        return files.reduce(0) { total, file in
            total + Int(FileStatistics.parse(file.stats ?? "", schema: before.dataSchema)?.numRecords ?? 0)
        }
    }

    @Test("a predicate on the partition column removes whole files without rewriting them")
    func deleteWholePartition() throws {
        let table = try Rows.table(partitioned: true)
        let metrics = try table.delete(where: .comparison(column: "day", op: .equal, value: .date(20001)))
        #expect(metrics.numAddedFiles == 0)
        #expect(metrics.numCopiedRows == 0)
        #expect(metrics.numRemovedFiles == 3)
        #expect(metrics.numDeletedRows == 10)
        #expect(Rows.ids(try table.read()) == (0..<30).filter { $0 % 3 != 1 }.map(Int64.init))
    }

    @Test("delete without a predicate empties the table; a predicate matching nothing commits nothing",
          arguments: [false, true])
    func deleteAllAndNothing(partitioned: Bool) throws {
        let table = try Rows.table(partitioned: partitioned)
        let none = try table.delete(where: .comparison(column: "id", op: .greater, value: .int(1000)))
        #expect(none.version == nil)
        #expect(none.numDeletedRows == 0)
        // NULL for every row with a null score: nothing deleted.
        let nulls = try table.delete(where: .and(.isNull(column: "score"), .comparison(column: "score", op: .equal, value: .float(1))))
        #expect(nulls.version == nil)
        #expect(try table.snapshot().version == 3)
        let all = try table.delete()
        #expect(all.numDeletedRows == 30)
        #expect(all.numAddedFiles == 0)
        #expect(try table.read().isEmpty)
        #expect(Rows.ids(try table.read(asOf: .version(2))) == (0..<20).map(Int64.init))
    }

    @Test("an unknown column or a literal of the wrong type is invalidArgument and commits nothing",
          arguments: [
              Predicate.comparison(column: "nope", op: .equal, value: .int(1)),
              Predicate.comparison(column: "day", op: .greater, value: .string("abc")),
          ])
    func badPredicate(_ predicate: Predicate) throws {
        let table = try Rows.table(partitioned: false)
        let error = try #require(throws: TableError.self) { try table.delete(where: predicate) }
        #expect(error.code == .invalidArgument)
        #expect(try table.snapshot().version == 3)
        #expect(Rows.ids(try table.read()) == (0..<30).map(Int64.init))
    }

    @Test("a delete of a partition conflicts with a concurrent append to it and not with one to another partition",
          arguments: [true, false])
    func concurrentAppend(samePartition: Bool) throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let deleter = try Table.create(store: gate, path: "t", schema: Rows.schema, partitionColumns: ["day"])
        try deleter.append([try Rows.batch(0..<30)])
        let appender = try Table.open(store: base, path: "t")
        // ids ≡ 1 (mod 3) live in day 20001, the deleted partition; ids ≡ 0 in day 20000.
        let appended = samePartition ? [100, 103, 106] : [99, 102, 105]
        gate.beforeNextCommit {
            let result = try appender.append([try Rows.batch(appended)])
            #expect(result.version == 2)
        }
        let predicate = Predicate.comparison(column: "day", op: .equal, value: .date(20001))
        if samePartition {
            let error = try #require(throws: TableError.self) { try deleter.delete(where: predicate, conflictRetries: 0) }
            #expect(error.code == .conflict)
            #expect(try appender.snapshot().version == 2)
            #expect(Rows.ids(try appender.read()) == ((0..<30).map { $0 } + appended).map(Int64.init).sorted())
        } else {
            let metrics = try deleter.delete(where: predicate)
            #expect(metrics.version == 3)
            let expected = ((0..<30).filter { $0 % 3 != 1 } + appended).map(Int64.init).sorted()
            #expect(Rows.ids(try appender.read()) == expected)
        }
    }

    @Test("a rewrite of many files flushes replacement rows file by file and keeps every copied row")
    func manyFilesSmallOutputFiles() throws {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: Rows.schema)
        for k in 0..<12 { try table.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        var options = WriteOptions()
        options.maxRowsPerFile = 7
        let metrics = try table.delete(where: .comparison(column: "name", op: .greater, value: .string("n5")), options: options)
        let expected = (0..<120).filter { !("n\($0)" > "n5") }.map(Int64.init)
        #expect(Rows.ids(try table.read()) == expected)
        #expect(metrics.numDeletedRows == 120 - expected.count)
        #expect(metrics.numAddedFiles >= (metrics.numCopiedRows + 6) / 7)
        for file in try table.snapshot().files {
            let stats = try #require(FileStatistics.parse(file.stats ?? "", schema: Rows.schema))
            #expect((stats.numRecords ?? 0) <= 10)
        }
    }

    @Test("a NULL partition value makes a partition predicate NULL: kept by '=' and removed whole by IS NULL")
    func nullPartition() throws {
        let schema = Schema([Field("id", .int64, nullable: false), Field("part", .string)])
        func batch(_ ids: Range<Int>) throws -> RecordBatch {
            try RecordBatch(schema: schema, columns: [
                try Column(.int64, values: ids.map(Int64.init)),
                try Column(.string, scalars: ids.map { $0 % 3 == 0 ? ScalarValue.null : .string("p\($0 % 3)") }),
            ])
        }
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema, partitionColumns: ["part"])
        try table.append([try batch(0..<30)])
        let byValue = try table.delete(where: .comparison(column: "part", op: .notEqual, value: .string("p1")))
        #expect(byValue.numDeletedRows == 10 && byValue.numAddedFiles == 0)
        #expect(Rows.ids(try table.read()) == (0..<30).filter { $0 % 3 != 2 }.map(Int64.init))
        let byNull = try table.delete(where: .isNull(column: "part"))
        #expect(byNull.numDeletedRows == 10 && byNull.numAddedFiles == 0 && byNull.numRemovedFiles == 1)
        #expect(Rows.ids(try table.read()) == (0..<30).filter { $0 % 3 == 1 }.map(Int64.init))
    }
}
