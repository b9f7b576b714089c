// Cast: convert a column to another type — the safe widenings, checked narrowings and
// the common text conversions used by CSV schema overrides and SQL CAST. Must never
// lose a value silently: a value that does not fit or parse is `.invalidValue` naming
// its 0-based row and text; null rows stay null and are never checked.

// Supported (anything else is `.typeMismatch`):
// - integer ↔ integer (any width/sign, range-checked); integer → float; float ↔ float;
//   float → integer (truncated toward zero; NaN, ±inf, out of range fail);
// - integer/float/decimal → decimal(p,s) (rounded half away from zero to the scale,
//   precision-checked); decimal → integer (truncated) or float;
// - boolean ↔ integer/float (0/1; non-zero is true);
// - string → boolean/integer/float/decimal/date/timestamp/binary by the `TextParse`
//   spellings; a timestamp text with a zone offset converts to UTC microseconds, and
//   the same microseconds are kept for a timestamp_ntz target;
// - anything → string via `ValueFormatter` text style; binary → string checks UTF-8;
// - date → timestamp (midnight); timestamp → date (floor); timestamp UTC ↔ NTZ keeps
//   the microseconds (a reinterpretation, no zone arithmetic);
// - list, map and struct (same field count, by position) cast their children.

extension Column {
    /// This column converted to `target`, as described above. Cost: one pass.
    public func cast(to target: DataType) throws(ColumnarError) -> Column {
        if target == type { return self }
        switch target {
        case .int8: return try castToInteger(Int8.self, target)
        case .int16: return try castToInteger(Int16.self, target)
        case .int32: return try castToInteger(Int32.self, target)
        case .int64: return try castToInteger(Int64.self, target)
        case .uint8: return try castToInteger(UInt8.self, target)
        case .uint16: return try castToInteger(UInt16.self, target)
        case .uint32: return try castToInteger(UInt32.self, target)
        case .uint64: return try castToInteger(UInt64.self, target)
        case .float32: return try castToFloat(Float.self, target)
        case .float64: return try castToFloat(Double.self, target)
        case let .decimal(precision, scale): return try castToDecimal(precision: precision, scale: scale)
        case .boolean: return try castToBoolean()
        case .string: return try castToString()
        case .binary:
            guard type == .string else { throw cannotCast(to: target) }
            return .make(.binary, count: count, validity: validity, storage: storage)
        case .date32: return try castToDate()
        case let .timestamp(zone): return try castToTimestamp(zone)
        case let .list(element):
            guard case let .list(offsets, values) = storage else { throw cannotCast(to: target) }
            return .make(target, count: count, validity: validity,
                         storage: .list(offsets: offsets, values: try values.cast(to: element.type)))
        case let .map(keyField, valueField):
            guard case let .map(offsets, keys, values) = storage else { throw cannotCast(to: target) }
            return .make(target, count: count, validity: validity,
                         storage: .map(offsets: offsets, keys: try keys.cast(to: keyField.type),
                                       values: try values.cast(to: valueField.type)))
        case let .structure(fields):
            guard case let .structure(children) = storage, children.count == fields.count else {
                throw cannotCast(to: target)
            }
            var cast: [Column] = []
            for (child, field) in zip(children, fields) { cast.append(try child.cast(to: field.type)) }
            return .make(target, count: count, validity: validity, storage: .structure(cast))
        }
    }

    private func cannotCast(to target: DataType) -> ColumnarError {
        .typeMismatch(expected: "a type castable to \(target)", actual: "\(type)", context: "cast")
    }

    private func failure(row: Int, to target: DataType) -> ColumnarError {
        .invalidValue("row \(row): '\(ValueFormatter.string(self, row: row))' cannot be cast to \(target)")
    }

    /// Applies `body` to every valid slot; nil from `body` fails the cast at that row.
    private func convert<S, D: ColumnPrimitive>(
        _ source: [S], to target: DataType, _ body: (S) -> D?
    ) throws(ColumnarError) -> Column {
        var failed = -1
        let validity = self.validity
        let out = [D](unsafeUninitializedCapacity: source.count) { dst, initialized in
            // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
            source.withUnsafeBufferPointer { src in
                for i in 0..<src.count {
                    if let validity, !validity[i] { dst[i] = D.zero; continue }
                    if let v = body(src[i]) { dst[i] = v } else { dst[i] = D.zero; if failed < 0 { failed = i } }
                }
            }
            initialized = source.count
        }
        if failed >= 0 { throw failure(row: failed, to: target) }
        return .make(target, count: count, validity: validity, storage: D.wrap(out))
    }

    /// Applies `parse` to the bytes of every valid slot of a string column.
    private func parseStrings<D: ColumnPrimitive>(
        to target: DataType, _ parse: (UnsafeRawBufferPointer) -> D?
    ) throws(ColumnarError) -> Column {
        guard type == .string, case let .bytes(offsets, data) = storage else { throw cannotCast(to: target) }
        var failed = -1
        let validity = self.validity
        let n = count
        let out = [D](unsafeUninitializedCapacity: n) { dst, initialized in
            data.withUnsafeBytes { d in
                for i in 0..<n {
                    if let validity, !validity[i] { dst[i] = D.zero; continue }
                    // SAFETY: offsets were validated against data when the column was built.
                    let slot = UnsafeRawBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])])
                    if let v = parse(slot) { dst[i] = v } else { dst[i] = D.zero; if failed < 0 { failed = i } }
                }
            }
            initialized = n
        }
        if failed >= 0 { throw failure(row: failed, to: target) }
        return .make(target, count: count, validity: validity, storage: D.wrap(out))
    }

    private func castToInteger<D: FixedWidthInteger & ColumnPrimitive>(_: D.Type, _ target: DataType) throws(ColumnarError) -> Column {
        switch (type, storage) {
        case let (.int8, .int8(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.int16, .int16(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.int32, .int32(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.int64, .int64(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.uint8, .uint8(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.uint16, .uint16(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.uint32, .uint32(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (.uint64, .uint64(v)): return try convert(v, to: target) { D(exactly: $0) }
        case let (_, .float32(v)):
            return try convert(v, to: target) { $0.isFinite ? D(exactly: $0.rounded(.towardZero)) : nil }
        case let (_, .float64(v)):
            return try convert(v, to: target) { $0.isFinite ? D(exactly: $0.rounded(.towardZero)) : nil }
        case let (.decimal(_, scale), .int128(v)):
            let divisor = pow10(scale)
            return try convert(v, to: target) { D(exactly: $0 / divisor) }
        case let (.boolean, .boolean(bits)):
            return try convert(Array(0..<count), to: target) { bits[$0] ? D(1) : D(0) }
        case (.string, .bytes):
            if D.isSigned {
                return try parseStrings(to: target) { TextParse.int64($0).flatMap { D(exactly: $0) } }
            }
            return try parseStrings(to: target) { TextParse.uint64($0).flatMap { D(exactly: $0) } }
        default:
            throw cannotCast(to: target)
        }
    }

    private func castToFloat<D: BinaryFloatingPoint & ColumnPrimitive>(_: D.Type, _ target: DataType) throws(ColumnarError) -> Column {
        switch (type, storage) {
        case let (.int8, .int8(v)): return try convert(v, to: target) { D($0) }
        case let (.int16, .int16(v)): return try convert(v, to: target) { D($0) }
        case let (.int32, .int32(v)): return try convert(v, to: target) { D($0) }
        case let (.int64, .int64(v)): return try convert(v, to: target) { D($0) }
        case let (.uint8, .uint8(v)): return try convert(v, to: target) { D($0) }
        case let (.uint16, .uint16(v)): return try convert(v, to: target) { D($0) }
        case let (.uint32, .uint32(v)): return try convert(v, to: target) { D($0) }
        case let (.uint64, .uint64(v)): return try convert(v, to: target) { D($0) }
        case let (_, .float32(v)): return try convert(v, to: target) { D($0) }
        case let (_, .float64(v)): return try convert(v, to: target) { D($0) }
        case let (.decimal(_, scale), .int128(v)):
            let divisor = Double(pow10(scale))
            return try convert(v, to: target) { D(Double($0) / divisor) }
        case let (.boolean, .boolean(bits)):
            return try convert(Array(0..<count), to: target) { bits[$0] ? D(1) : D(0) }
        case (.string, .bytes):
            if D.self == Float.self {
                return try parseStrings(to: target) { TextParse.float($0).map { D($0) } }
            }
            return try parseStrings(to: target) { TextParse.double($0).map { D($0) } }
        default:
            throw cannotCast(to: target)
        }
    }

    private func castToDecimal(precision: Int, scale: Int) throws(ColumnarError) -> Column {
        let target = DataType.decimal(precision: precision, scale: scale)
        let limit = pow10(precision)
        let factor = pow10(scale)
        func fits(_ v: Int128) -> Int128? { v.magnitude < limit.magnitude ? v : nil }
        func fromInteger(_ v: Int128) -> Int128? {
            let (r, o) = v.multipliedReportingOverflow(by: factor)
            return o ? nil : fits(r)
        }
        func fromDouble(_ d: Double) -> Int128? {
            let scaled = (d * Double(factor)).rounded(.toNearestOrAwayFromZero)
            guard scaled.isFinite, scaled.magnitude < 1e38 else { return nil }
            return fits(Int128(scaled))
        }
        switch (type, storage) {
        case let (.int8, .int8(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.int16, .int16(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.int32, .int32(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.int64, .int64(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.uint8, .uint8(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.uint16, .uint16(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.uint32, .uint32(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (.uint64, .uint64(v)): return try convert(v, to: target) { fromInteger(Int128($0)) }
        case let (_, .float32(v)): return try convert(v, to: target) { fromDouble(Double($0)) }
        case let (_, .float64(v)): return try convert(v, to: target) { fromDouble($0) }
        case let (.decimal(_, sourceScale), .int128(v)):
            if sourceScale <= scale {
                let up = pow10(scale - sourceScale)
                return try convert(v, to: target) { x in
                    let (r, o) = x.multipliedReportingOverflow(by: up)
                    return o ? nil : fits(r)
                }
            }
            let down = pow10(sourceScale - scale)
            return try convert(v, to: target) { x in
                let (q, r) = x.quotientAndRemainder(dividingBy: down)
                let rounded = r.magnitude * 2 >= down.magnitude ? q + (x < 0 ? -1 : 1) : q
                return fits(rounded)
            }
        case (.string, .bytes):
            return try parseStrings(to: target) { TextParse.decimal($0, precision: precision, scale: scale) }
        default:
            throw cannotCast(to: target)
        }
    }

    private func castToBoolean() throws(ColumnarError) -> Column {
        let bits: Bitmap
        switch (type, storage) {
        case (.string, .bytes):
            let parsed: Column = try parseStrings(to: .boolean) { (bytes: UnsafeRawBufferPointer) -> UInt8? in
                TextParse.bool(bytes).map { $0 ? 1 : 0 }
            }
            guard case let .uint8(v) = parsed.storage else { throw cannotCast(to: .boolean) }
            bits = Bitmap(v.lazy.map { $0 == 1 })
        case let (_, .float32(v)): bits = Bitmap(v.lazy.map { $0 != 0 })
        case let (_, .float64(v)): bits = Bitmap(v.lazy.map { $0 != 0 })
        default:
            guard type.isInteger, let nonZero = try? compare(.notEqual, .int(0)) else { throw cannotCast(to: .boolean) }
            bits = nonZero
        }
        let cleared = validity.map { bits & $0 } ?? bits
        return .make(.boolean, count: count, validity: validity, storage: .boolean(cleared))
    }

    private func castToString() throws(ColumnarError) -> Column {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(count + 1)
        var data: [UInt8] = []
        if case let .bytes(sourceOffsets, sourceData) = storage, type == .binary {
            for i in 0..<count where isValid(i) {
                let slot = sourceData[Int(sourceOffsets[i])..<Int(sourceOffsets[i + 1])]
                var iterator = slot.makeIterator()
                var decoder = UTF8()
                decoding: while true {
                    switch decoder.decode(&iterator) {
                    case .scalarValue: continue
                    case .emptyInput: break decoding
                    case .error: throw .invalidValue("row \(i): binary value is not valid UTF-8 and cannot be cast to string")
                    }
                }
            }
            return .make(.string, count: count, validity: validity, storage: storage)
        }
        let append = ValueFormatter.appender(for: self, style: .text)
        for i in 0..<count {
            if isValid(i) { append(i, &data) }
            offsets.append(try checkedOffset(data.count, "string"))
        }
        return .make(.string, count: count, validity: validity, storage: .bytes(offsets: offsets, data: data))
    }

    private func castToDate() throws(ColumnarError) -> Column {
        switch (type, storage) {
        case let (.timestamp, .int64(v)):
            let perDay: Int64 = 86_400_000_000
            return try convert(v, to: .date32) { micros -> Int32? in
                let (q, r) = micros.quotientAndRemainder(dividingBy: perDay)
                return Int32(exactly: r < 0 ? q - 1 : q)
            }
        case (.string, .bytes):
            return try parseStrings(to: .date32) { TextParse.date($0) }
        default:
            throw cannotCast(to: .date32)
        }
    }

    private func castToTimestamp(_ zone: TimestampZone) throws(ColumnarError) -> Column {
        let target = DataType.timestamp(zone)
        switch (type, storage) {
        case (.timestamp, .int64):
            return .make(target, count: count, validity: validity, storage: storage)
        case let (.date32, .int32(v)):
            return try convert(v, to: target) { Int64($0) * 86_400_000_000 }
        case (.string, .bytes):
            return try parseStrings(to: target) { TextParse.timestamp($0)?.micros }
        default:
            throw cannotCast(to: target)
        }
    }
}
