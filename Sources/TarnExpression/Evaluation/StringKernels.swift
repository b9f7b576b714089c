// StringKernels: string columns in, string/number/boolean columns out, working on the
// UTF-8 bytes and offsets directly (one output buffer per call, no per-row String
// unless a row needs Unicode case mapping). Must never split a UTF-8 sequence.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TarnColumnar

/// Read access to a string column's bytes.
struct StringView {
    let offsets: [Int32]
    let data: [UInt8]
    let validity: Bitmap?
    let count: Int

    init(_ column: Column) throws(ExpressionError) {
        guard case let .bytes(offsets, data) = column.storage else {
            throw ExpressionError(.evaluation, "internal: expected a string column, found \(column.type.sqlName)")
        }
        self.offsets = offsets
        self.data = data
        self.validity = column.validity
        self.count = column.count
    }

    @inline(__always) func isValid(_ i: Int) -> Bool { validity.map { $0[i] } ?? true }
}

/// Builds a string column row by row into one buffer.
struct StringOutput {
    var offsets: [Int32]
    var data: [UInt8]

    init(capacity: Int, bytes: Int) {
        offsets = [0]
        offsets.reserveCapacity(capacity + 1)
        data = []
        data.reserveCapacity(bytes)
    }

    @inline(__always) mutating func close() throws(ExpressionError) {
        guard data.count <= Int(Int32.max) else {
            throw ExpressionError(.evaluation, "a string result exceeds 2 GiB in one batch")
        }
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    func column(validity: Bitmap?) throws(ExpressionError) -> Column {
        try makeColumn(.string, count: offsets.count - 1, validity: validity, storage: .bytes(offsets: offsets, data: data))
    }
}

enum StringKernels {
    /// Runs a string → string body over every valid row (null rows stay null).
    static func map(_ operand: Operand, growth: Int = 1, _ body: (UnsafeBufferPointer<UInt8>, inout [UInt8]) throws(ExpressionError) -> Void) throws(ExpressionError) -> Operand {
        switch operand {
        case let .scalar(value, _):
            guard case let .string(s) = value else { return .scalar(.null, .string) }
            var out: [UInt8] = []
            try Array(s.utf8).withUnsafeBufferPointer { (p) throws(ExpressionError) in try body(p, &out) }
            return .scalar(.string(String(decoding: out, as: UTF8.self)), .string)
        case let .column(column):
            let view = try StringView(column)
            var output = StringOutput(capacity: view.count, bytes: view.data.count * growth)
            try view.data.withUnsafeBufferPointer { (d) throws(ExpressionError) in
                for i in 0..<view.count {
                    if view.isValid(i) {
                        // SAFETY: offsets were validated against data when the column was built.
                        let slot = UnsafeBufferPointer(rebasing: d[Int(view.offsets[i])..<Int(view.offsets[i + 1])])
                        try body(slot, &output.data)
                    }
                    try output.close()
                }
            }
            return .column(try output.column(validity: column.validity))
        }
    }

    /// Runs a string → fixed-width body over every row (null rows get zero and stay null).
    static func mapToValues<R: ColumnPrimitive>(_ operand: Operand, type: DataType, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(ExpressionError) -> Operand {
        switch operand {
        case let .scalar(value, _):
            guard case let .string(s) = value else { return .scalar(.null, type) }
            let r = Array(s.utf8).withUnsafeBufferPointer { body($0) }
            let one = try makeColumn(type, count: 1, validity: nil, storage: R.wrap([r]))
            return .scalar(one.value(at: 0), type)
        case let .column(column):
            let view = try StringView(column)
            let n = view.count
            let out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
                view.data.withUnsafeBufferPointer { d in
                    for i in 0..<n {
                        // SAFETY: offsets were validated against data when the column was built.
                        buffer[i] = body(UnsafeBufferPointer(rebasing: d[Int(view.offsets[i])..<Int(view.offsets[i + 1])]))
                    }
                }
                initialized = n
            }
            return .column(try makeColumn(type, count: n, validity: column.validity, storage: R.wrap(out)))
        }
    }

    /// Runs a string → boolean body over every row.
    static func mapToBooleans(_ operand: Operand, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) throws(ExpressionError) -> Operand {
        switch operand {
        case let .scalar(value, _):
            guard case let .string(s) = value else { return .scalar(.null, .boolean) }
            return .scalar(.boolean(Array(s.utf8).withUnsafeBufferPointer { body($0) }), .boolean)
        case let .column(column):
            let view = try StringView(column)
            let n = view.count
            var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
            view.data.withUnsafeBufferPointer { d in
                view.offsets.withUnsafeBufferPointer { o in
                    for i in 0..<n {
                        // SAFETY: offsets were validated against data when the column was built.
                        if body(UnsafeBufferPointer(rebasing: d[Int(o[i])..<Int(o[i + 1])])) {
                            words[i >> 6] |= UInt64(1) << UInt64(i & 63)
                        }
                    }
                }
            }
            var bits = Bitmap(words: words, count: n)
            if let validity = column.validity { bits = bits & validity }
            return .column(try makeColumn(.boolean, count: n, validity: column.validity, storage: .boolean(bits)))
        }
    }

    /// Whether every byte of a string column is ASCII (so characters are bytes).
    static func isASCII(_ column: Column) -> Bool {
        guard case let .bytes(_, data) = column.storage else { return false }
        var high: UInt8 = 0
        data.withUnsafeBufferPointer { d in for b in d { high |= b } }
        return high < 0x80
    }

    /// For an all-ASCII string column: each row replaced by the byte range `range(length)`
    /// of itself (clamped), building offsets and data in one pass. Nil for other columns.
    static func asciiSlices(_ operand: Operand, _ range: (Int64) -> (Int64, Int64)) throws(ExpressionError) -> Operand? {
        guard case let .column(column) = operand, case let .bytes(offsets, data) = column.storage, isASCII(column) else { return nil }
        let n = column.count
        var output = StringOutput(capacity: n, bytes: data.count)
        try data.withUnsafeBufferPointer { (d) throws(ExpressionError) in
            for i in 0..<n {
                let start = Int(offsets[i]), end = Int(offsets[i + 1])
                let (from, to) = range(Int64(end - start))
                let a = max(0, min(Int64(end - start), from)), b = max(a, min(Int64(end - start), to))
                if b > a {
                    // SAFETY: start + a ... start + b lies inside this row's bytes.
                    output.data.append(contentsOf: UnsafeBufferPointer(rebasing: d[(start + Int(a))..<(start + Int(b))]))
                }
                try output.close()
            }
        }
        return .column(try output.column(validity: column.validity))
    }

    /// Rows of a string column that start with `prefix` (NULL rows stay NULL), in one
    /// pass over the offsets without a call per row.
    static func prefixMask(_ column: Column, _ prefix: [UInt8], negated: Bool) throws(ExpressionError) -> Column {
        let view = try StringView(column)
        let n = view.count
        let m = prefix.count
        var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
        view.data.withUnsafeBufferPointer { d in
            view.offsets.withUnsafeBufferPointer { o in
                prefix.withUnsafeBufferPointer { p in
                    for i in 0..<n {
                        // SAFETY: offsets were validated against data when the column was built.
                        let start = Int(o[i])
                        var hit = Int(o[i + 1]) - start >= m
                        var k = 0
                        while hit && k < m {
                            hit = d[start + k] == p[k]
                            k += 1
                        }
                        if hit != negated { words[i >> 6] |= UInt64(1) << UInt64(i & 63) }
                    }
                }
            }
        }
        var bits = Bitmap(words: words, count: n)
        if let validity = column.validity { bits = bits & validity }
        return try makeColumn(.boolean, count: n, validity: column.validity, storage: .boolean(bits))
    }

    /// Whether `s` starts with `p` (byte-wise).
    @inline(__always) static func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
        guard s.count >= p.count else { return false }
        return p.withUnsafeBufferPointer { pp in
            for k in 0..<pp.count where s[k] != pp[k] { return false }
            return true
        }
    }

    /// Whether `s` ends with `p` (byte-wise).
    @inline(__always) static func hasSuffix(_ s: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
        guard s.count >= p.count else { return false }
        let start = s.count - p.count
        return p.withUnsafeBufferPointer { pp in
            for k in 0..<pp.count where s[start + k] != pp[k] { return false }
            return true
        }
    }

    /// `a || b`: NULL when either side is NULL.
    static func concat(_ a: Operand, _ b: Operand, count: Int) throws(ExpressionError) -> Operand {
        if a.isNullScalar || b.isNullScalar { return .scalar(.null, .string) }
        switch (a, b) {
        case let (.scalar(.string(x), _), .scalar(.string(y), _)):
            return .scalar(.string(x + y), .string)
        case let (.column, .scalar(.string(y), _)):
            let suffix = Array(y.utf8)
            return try map(a) { slot, out in out.append(contentsOf: slot); out.append(contentsOf: suffix) }
        case let (.scalar(.string(x), _), .column):
            let prefix = Array(x.utf8)
            return try map(b) { slot, out in out.append(contentsOf: prefix); out.append(contentsOf: slot) }
        default:
            let x = try StringView(try a.materialize(count: count)), y = try StringView(try b.materialize(count: count))
            var output = StringOutput(capacity: count, bytes: x.data.count + y.data.count)
            for i in 0..<count {
                if x.isValid(i) && y.isValid(i) {
                    output.data.append(contentsOf: x.data[Int(x.offsets[i])..<Int(x.offsets[i + 1])])
                    output.data.append(contentsOf: y.data[Int(y.offsets[i])..<Int(y.offsets[i + 1])])
                }
                try output.close()
            }
            return .column(try output.column(validity: combinedValidity(x.validity, y.validity)))
        }
    }

    /// lower/upper of a column whose bytes are all ASCII: one pass over the data buffer,
    /// offsets and validity reused. Nil when the column has non-ASCII bytes.
    static func asciiCaseMap(_ operand: Operand, upper: Bool) throws(ExpressionError) -> Operand? {
        guard case let .column(column) = operand, case let .bytes(offsets, data) = column.storage else { return nil }
        var high: UInt8 = 0
        data.withUnsafeBufferPointer { d in for b in d { high |= b } }
        guard high < 0x80 else { return nil }
        let (from, to): (UInt8, UInt8) = upper ? (97, 122) : (65, 90)
        let mapped = [UInt8](unsafeUninitializedCapacity: data.count) { buffer, initialized in
            // SAFETY: the output has the data buffer's length.
            data.withUnsafeBufferPointer { d in
                for i in 0..<d.count {
                    let b = d[i]
                    buffer[i] = (b >= from && b <= to) ? b ^ 0x20 : b
                }
            }
            initialized = data.count
        }
        return .column(try makeColumn(.string, count: column.count, validity: column.validity, storage: .bytes(offsets: offsets, data: mapped)))
    }

    // MARK: - Byte helpers

    @inline(__always) static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// Number of code points.
    static func characterCount(_ s: UnsafeBufferPointer<UInt8>) -> Int64 {
        var n: Int64 = 0
        for b in s where !isContinuation(b) { n += 1 }
        return n
    }

    /// Byte offset of code point `k` (0-based), clamped to the end.
    static func byteOffset(_ s: UnsafeBufferPointer<UInt8>, ofCharacter k: Int64) -> Int {
        if k <= 0 { return 0 }
        var seen: Int64 = 0
        var i = 0
        while i < s.count {
            if !isContinuation(s[i]) {
                if seen == k { return i }
                seen += 1
            }
            i += 1
        }
        return s.count
    }

    static func isASCII(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in s where b >= 0x80 { return false }
        return true
    }

    static func lower(_ s: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        if isASCII(s) {
            for b in s { out.append(b >= 65 && b <= 90 ? b + 32 : b) }
        } else {
            out.append(contentsOf: String(decoding: s, as: UTF8.self).lowercased().utf8)
        }
    }

    static func upper(_ s: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        if isASCII(s) {
            for b in s { out.append(b >= 97 && b <= 122 ? b - 32 : b) }
        } else {
            out.append(contentsOf: String(decoding: s, as: UTF8.self).uppercased().utf8)
        }
    }

    /// Index of the first occurrence of `needle` at or after `from`, or nil. Scans for
    /// the first byte with `memchr`, then compares the rest with `memcmp`.
    static func find(_ needle: [UInt8], in s: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        let m = needle.count
        if m == 0 { return from <= s.count ? from : nil }
        guard s.count >= m, from >= 0, from <= s.count - m, let base = s.baseAddress else { return nil }
        let last = s.count - m
        if s.count < 64 {
            // Short values: a plain loop beats the library calls.
            let first = needle[0]
            var i = from
            while i <= last {
                if s[i] == first {
                    var j = 1
                    while j < m && s[i + j] == needle[j] { j += 1 }
                    if j == m { return i }
                }
                i += 1
            }
            return nil
        }
        return needle.withUnsafeBufferPointer { n -> Int? in
            guard let pattern = n.baseAddress else { return nil }
            let first = Int32(pattern.pointee)
            var i = from
            while i <= last {
                // SAFETY: base + i ..< base + last + 1 lies inside s (i <= last).
                guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
                let k = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                // SAFETY: k <= last, so k + m <= s.count.
                if m == 1 || memcmp(base + k + 1, pattern + 1, m - 1) == 0 { return k }
                i = k + 1
            }
            return nil
        }
    }
}
