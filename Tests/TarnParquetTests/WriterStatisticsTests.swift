// Tests of the statistics the writer records: min/max/null_count per chunk and page for
// every type, NaN and signed zeros, unsigned order, byte-wise strings, long values, and
// the ScalarValue bounds handed to the Delta layer.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Writer statistics")
struct WriterStatisticsTests {
    /// Writes one nullable column and returns its chunk statistics and file bounds.
    private func written(_ type: DataType, _ values: [ScalarValue?], nullable: Bool = true,
                         options: ParquetWriteOptions = .init()) throws -> (Statistics, ColumnBounds, FileMetaData, [UInt8]) {
        let field = Field("c", type, nullable: nullable)
        var writer = try ParquetFileWriter(schema: Schema([field]), options: options)
        try writer.write(writerBatch(field, writerColumn(type, values)))
        let file = try writer.finish()
        let metadata = try writerFooter(file)
        let statistics = try #require(try writerChunkMeta(metadata).statistics)
        let bounds = try #require(writer.columnStatistics[ColumnPath(["c"])])
        return (statistics, bounds, metadata, file)
    }

    @Test("int64 extremes: signed order, legacy and new fields, null count")
    func int64Extremes() throws {
        let (stats, bounds, metadata, _) = try written(.int64, [.int(5), .int(Int64.max), nil, .int(Int64.min), .int(0)])
        #expect(stats.minValue == writerPlain(Int64.min))
        #expect(stats.maxValue == writerPlain(Int64.max))
        #expect(stats.min == stats.minValue && stats.max == stats.maxValue)
        #expect(stats.nullCount == 1)
        #expect(bounds == ColumnBounds(min: .int(Int64.min), max: .int(Int64.max), nullCount: 1, rowCount: 5))
        #expect(metadata.columnOrders == [.typeDefinedOrder])
    }

    @Test("unsigned columns compare unsigned and write no legacy min/max")
    func unsignedOrder() throws {
        let (stats, bounds, _, _) = try written(.uint32, [.uint(1), .uint(UInt64(UInt32.max)), .uint(7)])
        #expect(stats.minValue == writerPlain(UInt32(1)))
        #expect(stats.maxValue == writerPlain(UInt32.max))
        #expect(stats.min == nil && stats.max == nil)
        #expect(bounds.min == .uint(1) && bounds.max == .uint(UInt64(UInt32.max)))
        let (stats64, _, _, _) = try written(.uint64, [.uint(UInt64.max), .uint(2)])
        #expect(stats64.minValue == writerPlain(UInt64(2)) && stats64.maxValue == writerPlain(UInt64.max))
    }

    @Test("floats: NaN is left out of min/max, infinities count")
    func floatNaN() throws {
        let (stats, bounds, _, _) = try written(.float64, [.float(.nan), .float(-1.5), .float(.infinity), .float(.nan)])
        #expect(stats.minValue == writerPlain(-1.5))
        #expect(stats.maxValue == writerPlain(Double.infinity))
        #expect(bounds.min == .float(-1.5) && bounds.max == .float(.infinity))
    }

    @Test("floats that are all NaN get a null count but no min/max")
    func allNaN() throws {
        let (stats, bounds, _, _) = try written(.float32, [.float(.nan), nil, .float(.nan)])
        #expect(stats.minValue == nil && stats.maxValue == nil && stats.min == nil)
        #expect(stats.nullCount == 1)
        #expect(bounds.min == nil && bounds.max == nil)
    }

    @Test("zero bounds are written as -0.0 (min) and +0.0 (max)")
    func signedZeros() throws {
        let (stats, _, _, _) = try written(.float64, [.float(0.0), .float(0.0)])
        #expect(stats.minValue == writerPlain((-0.0 as Double).bitPattern))
        #expect(stats.maxValue == writerPlain((0.0 as Double).bitPattern))
        let (stats32, _, _, _) = try written(.float32, [.float(-0.0), .float(-0.0)])
        #expect(stats32.minValue == writerPlain((-0.0 as Float).bitPattern))
        #expect(stats32.maxValue == writerPlain((0.0 as Float).bitPattern))
    }

    @Test("strings compare byte-wise (UTF-8), unicode included; no legacy fields")
    func unicodeStrings() throws {
        let (stats, bounds, _, _) = try written(.string, [.string("zebra"), .string("émile"), .string("Zoë"), .string("apple"), nil])
        #expect(stats.minValue == Array("Zoë".utf8))
        #expect(stats.maxValue == Array("émile".utf8))
        #expect(stats.min == nil && stats.max == nil)
        #expect(stats.nullCount == 1)
        #expect(bounds.min == .string("Zoë") && bounds.max == .string("émile"))
    }

    @Test("long strings are truncated to 64 bytes: min a prefix, max incremented, both inexact")
    func longStrings() throws {
        let long = String(repeating: "a", count: 100)
        let longer = String(repeating: "b", count: 70) + "é"
        let (stats, bounds, _, _) = try written(.string, [.string(long), .string(longer)])
        #expect(stats.minValue == Array(long.utf8.prefix(64)))
        #expect(stats.maxValue == Array((String(repeating: "b", count: 63) + "c").utf8))
        #expect(stats.isMinValueExact == false && stats.isMaxValueExact == false)
        #expect(bounds.min.flatMap { ScalarValue.order($0, .string(long)) }.map { $0 <= 0 } == true)
        #expect(bounds.max.flatMap { ScalarValue.order($0, .string(longer)) }.map { $0 >= 0 } == true)
    }

    @Test("truncation never splits a UTF-8 character and increments whole characters")
    func truncationBoundaries() {
        let value = Array((String(repeating: "x", count: 63) + "éz").utf8)
        #expect(StatisticsCollector.truncatedLowerBound(value, isString: true) == Array(String(repeating: "x", count: 63).utf8))
        #expect(StatisticsCollector.truncatedUpperBound(value, isString: true) == Array((String(repeating: "x", count: 62) + "y").utf8))
        let binary = [UInt8](repeating: 0xFF, count: 70)
        #expect(StatisticsCollector.truncatedUpperBound(binary, isString: false) == nil)
        let mixed = [UInt8](repeating: 1, count: 63) + [UInt8](repeating: 0xFF, count: 10)
        #expect(StatisticsCollector.truncatedUpperBound(mixed, isString: false) == [UInt8](repeating: 1, count: 62) + [2])
    }

    @Test("dates, timestamps and decimals give bounds in their logical types")
    func logicalBounds() throws {
        let (_, dates, _, _) = try written(.date32, [.date(-3), .date(19000)])
        #expect(dates.min == .date(-3) && dates.max == .date(19000))
        let (_, times, _, _) = try written(.timestamp(.utc), [.timestamp(-1, .utc), .timestamp(1_700_000_000_000_000, .utc)])
        #expect(times.min == .timestamp(-1, .utc) && times.max == .timestamp(1_700_000_000_000_000, .utc))
        let (_, ntz, _, _) = try written(.timestamp(.ntz), [.timestamp(5, .ntz)])
        #expect(ntz.min == .timestamp(5, .ntz))
        let small = DataType.decimal(precision: 7, scale: 2)
        let (_, decimals, _, _) = try written(small, [.decimal(-12345, scale: 2), .decimal(99, scale: 2)])
        #expect(decimals.min == .decimal(-12345, scale: 2) && decimals.max == .decimal(99, scale: 2))
        let wide = DataType.decimal(precision: 30, scale: 4)
        let (stats, wideBounds, _, _) = try written(wide, [.decimal(-5, scale: 4), .decimal(300, scale: 4), .decimal(-70000, scale: 4)])
        #expect(wideBounds.min == .decimal(-70000, scale: 4) && wideBounds.max == .decimal(300, scale: 4))
        #expect(stats.maxValue == [UInt8](repeating: 0, count: 11) + [0x01, 0x2C])
    }

    @Test("booleans: false < true")
    func booleans() throws {
        let (stats, bounds, _, _) = try written(.boolean, [.boolean(true), nil, .boolean(true)])
        #expect(stats.minValue == [1] && stats.maxValue == [1])
        #expect(bounds.min == .boolean(true))
        let (both, _, _, _) = try written(.boolean, [.boolean(true), .boolean(false)])
        #expect(both.minValue == [0] && both.maxValue == [1])
    }

    @Test("every data page carries its own statistics")
    func pageStatistics() throws {
        let values: [ScalarValue?] = (0..<50).map { .int(Int64($0)) }
        let options = ParquetWriteOptions(dataPageRowLimit: 20)
        let (_, _, metadata, file) = try written(.int64, values, options: options)
        let headers = try writerPageHeaders(file, metadata).filter { $0.type == .dataPage }
        #expect(headers.count == 3)
        let pageStats = headers.compactMap { $0.dataPageHeader?.statistics }
        #expect(pageStats.map(\.minValue) == [writerPlain(Int64(0)), writerPlain(Int64(20)), writerPlain(Int64(40))])
        #expect(pageStats.map(\.maxValue) == [writerPlain(Int64(19)), writerPlain(Int64(39)), writerPlain(Int64(49))])
    }

    @Test("file bounds merge row groups; an all-null row group does not widen them")
    func mergedBounds() throws {
        let field = Field("c", .int32)
        var writer = try ParquetFileWriter(schema: Schema([field]), options: ParquetWriteOptions(rowGroupRows: 2))
        try writer.write(writerBatch(field, writerColumn(.int32, [.int(5), .int(9), nil, nil, .int(-4), .int(2)])))
        _ = try writer.finish()
        #expect(writer.columnStatistics[ColumnPath(["c"])] == ColumnBounds(min: .int(-4), max: .int(9), nullCount: 2, rowCount: 6))
    }

    @Test("writeStatistics = false writes no statistics")
    func disabled() throws {
        let field = Field("c", .int32)
        let file = try ParquetFileWriter.write([writerBatch(field, writerColumn(.int32, [.int(1)]))], schema: Schema([field]),
                                               options: ParquetWriteOptions(writeStatistics: false))
        let metadata = try writerFooter(file)
        #expect(try writerChunkMeta(metadata).statistics == nil)
    }
}
