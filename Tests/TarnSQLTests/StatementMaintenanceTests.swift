// OPTIMIZE, ZORDER, VACUUM and RESTORE through SQL: files compacted with the rows kept,
// vacuum's retention check and dry run, restore as a new version, time travel after them.
import Testing
import TarnColumnar
import TarnSQL
import TarnTables

@Suite("SQL maintenance statements")
struct StatementMaintenanceTests {
    /// A table with five small files (one per INSERT), partitioned by `g`.
    static func fragmented() throws -> StatementLakehouse {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE f (id INT, g STRING) PARTITIONED BY (g)")
        for i in 1...5 {
            try lake.run("INSERT INTO f VALUES (\(i), 'a'), (\(i + 10), 'b')")
        }
        return lake
    }

    @Test("OPTIMIZE compacts the files of each partition and keeps the rows")
    func optimize() throws {
        let lake = try Self.fragmented()
        let rowsBefore = try lake.tableRows("default.f")
        #expect(try lake.table("default.f").detail().numFiles == 10)
        let result = try lake.one("OPTIMIZE f")
        #expect(result.value("numFilesRemoved") == "10")
        #expect(result.value("numFilesAdded") == "2")
        #expect(try lake.table("default.f").detail().numFiles == 2)
        #expect(try lake.tableRows("default.f") == rowsBefore)
        #expect(try lake.table("default.f").history(limit: 1).first?.commitInfo?.operation == "OPTIMIZE")
    }

    @Test("OPTIMIZE WHERE takes partition conditions only")
    func optimizeWhere() throws {
        let lake = try Self.fragmented()
        try lake.run("OPTIMIZE f WHERE g = 'a'")
        #expect(try lake.table("default.f").detail().numFiles == 6)
        let error = try lake.failure("OPTIMIZE f WHERE id > 2")
        #expect(error.message.contains("partition"), "\(error.message)")
    }

    @Test("OPTIMIZE ZORDER BY rewrites with the rows kept")
    func zOrder() throws {
        let lake = try Self.fragmented()
        let rowsBefore = try lake.tableRows("default.f")
        try lake.run("OPTIMIZE f ZORDER BY (id)")
        #expect(try lake.tableRows("default.f") == rowsBefore)
        #expect(try lake.table("default.f").detail().numFiles == 2)
    }

    @Test("VACUUM refuses a retention below the table's, lists files in a dry run, deletes them after the property is lowered")
    func vacuum() throws {
        let lake = try Self.fragmented()
        try lake.run("OPTIMIZE f")
        let refused = try lake.failure("VACUUM f RETAIN 0 HOURS")
        #expect(refused.message.contains("deletedFileRetentionDuration"))
        #expect(try lake.rows("VACUUM f DRY RUN").isEmpty, "the default retention keeps the week-old window")
        try lake.run("ALTER TABLE f SET TBLPROPERTIES ('delta.deletedFileRetentionDuration' = 'interval 0 hours')")
        let dry = try lake.rows("VACUUM f RETAIN 0 HOURS DRY RUN")
        #expect(dry.count == 10)
        let result = try lake.one("VACUUM f RETAIN 0 HOURS")
        #expect(result.value("numDeletedFiles") == "10")
        #expect(try lake.tableRows("default.f").count == 10)
    }

    @Test("RESTORE makes an old version current as a new commit; time travel still reads every version")
    func restore() throws {
        let lake = try Self.fragmented()
        try lake.run("DELETE FROM f WHERE id > 3")                 // v6
        #expect(try lake.tableRows("default.f").count == 3)
        let result = try lake.one("RESTORE TABLE f TO VERSION AS OF 2")   // v7
        #expect(result.value("num_of_files_after_restore") == "4")
        #expect(try lake.tableRows("default.f").map { $0[0] } == ["1", "11", "2", "12"].sorted())
        #expect(try lake.table("default.f").snapshot().version == 7)
        #expect(try lake.rows("SELECT count(*) FROM f VERSION AS OF 6") == [["3"]])
        #expect(try lake.rows("SELECT count(*) FROM f VERSION AS OF 5") == [["10"]])
        try lake.run("RESTORE f TIMESTAMP AS OF '2999-01-01 00:00:00'")
        #expect(try lake.table("default.f").snapshot().version == 8)
    }

    @Test("time travel after OPTIMIZE and RESTORE reads the same rows as before")
    func timeTravelAfterMaintenance() throws {
        let lake = try Self.fragmented()
        try lake.run("OPTIMIZE f; RESTORE f TO VERSION AS OF 3")  // v6, v7
        #expect(try lake.rows("SELECT count(*) FROM f") == [["6"]])
        #expect(try lake.rows("SELECT count(*) FROM f VERSION AS OF 6") == [["10"]])
        #expect(try lake.rows("SELECT count(*) FROM f@v5") == [["10"]])
    }
}
