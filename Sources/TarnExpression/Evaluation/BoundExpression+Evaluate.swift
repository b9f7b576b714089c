// Evaluation of bound expressions over a batch, vectorized: each node computes a whole
// column (or one constant) from its operands' columns. Owns SQL NULL semantics and
// three-valued logic; must never evaluate a CASE branch value on rows the branch did
// not select (so `CASE WHEN x = 0 THEN 0 ELSE 1 / x END` never divides by zero).

import TarnColumnar

extension BoundExpression {
    /// The expression's value for every row of `batch` (a column of `batch.rowCount`
    /// values of `type`). `batch` must have the scope's columns in the scope's order.
    /// - Throws: `.evaluation` for overflow, division by zero, a failed cast or a
    ///   batch that does not match the scope.
    public func evaluate(_ batch: RecordBatch) throws(ExpressionError) -> Column {
        try operand(batch).materialize(count: batch.rowCount)
    }

    /// The rows of `batch` where this predicate is true (false and NULL rows are not).
    public func selection(_ batch: RecordBatch) throws(ExpressionError) -> Bitmap {
        switch try operand(batch) {
        case .scalar(.boolean(true), _): return Bitmap(repeating: true, count: batch.rowCount)
        case .scalar: return Bitmap(repeating: false, count: batch.rowCount)
        case let .column(c):
            do { return try c.selectionMask() } catch { throw .evaluation(error, "predicate") }
        }
    }

    /// The rows of `batch` where this predicate is true.
    public func filter(_ batch: RecordBatch) throws(ExpressionError) -> RecordBatch {
        let mask = try selection(batch)
        do { return try batch.filter(mask) } catch { throw .evaluation(error, "filter") }
    }

    func operand(_ batch: RecordBatch) throws(ExpressionError) -> Operand {
        let n = batch.rowCount
        switch self {
        case let .column(index, type, _):
            guard index >= 0, index < batch.columns.count else {
                throw ExpressionError(.evaluation, "the batch has \(batch.columns.count) columns but the expression reads column \(index)")
            }
            let column = batch.columns[index]
            guard column.type == type else {
                throw ExpressionError(.evaluation, "batch column \(index) (\(batch.schema.fields[index].name)) is \(column.type.sqlName) but was bound as \(type.sqlName)")
            }
            return .column(column)
        case let .literal(value, type):
            return .scalar(value, type)
        case let .field(x, index, type):
            return try Self.field(try x.operand(batch), index: index, type: type)
        case let .not(x):
            let inner = try x.operand(batch)
            if case let .scalar(value, _) = inner {
                if case let .boolean(b) = value { return .scalar(.boolean(!b), .boolean) }
                return .scalar(.null, .boolean)
            }
            let truth = try Truth.of(inner, count: n)
            return .column(try Truth(isTrue: truth.isFalse, isFalse: truth.isTrue).column())
        case let .negate(x, type):
            let inner = try x.operand(batch)
            let zero: ScalarValue = type.isFloatingPoint ? .float(0) : (TypeRules.isDecimal(type) ? .decimal(0, scale: 0) : .int(0))
            return try ArithmeticKernels.apply(.subtract, .scalar(zero, type), inner, type: type, count: n)
        case let .arithmetic(op, a, b, type):
            return try ArithmeticKernels.apply(op, try a.operand(batch), try b.operand(batch), type: type, count: n)
        case let .comparison(op, a, b):
            return try Self.compare(op, try a.operand(batch), try b.operand(batch), count: n)
        case let .distinctFrom(a, b, negated):
            return try Self.distinct(try a.operand(batch), try b.operand(batch), negated: negated, count: n)
        case let .and(a, b):
            let x = try a.operand(batch)
            if case .scalar(.boolean(false), _) = x { return x }
            let y = try b.operand(batch)
            if case .scalar(.boolean(false), _) = y { return y }
            if case .scalar(.boolean(true), _) = x { return y }
            if case .scalar(.boolean(true), _) = y { return x }
            if let (p, q) = Self.nullFreeBits(x, y) {
                return .column(try makeColumn(.boolean, count: n, validity: nil, storage: .boolean(p & q)))
            }
            let p = try Truth.of(x, count: n), q = try Truth.of(y, count: n)
            return .column(try Truth(isTrue: p.isTrue & q.isTrue, isFalse: p.isFalse | q.isFalse).column())
        case let .or(a, b):
            let x = try a.operand(batch)
            if case .scalar(.boolean(true), _) = x { return x }
            let y = try b.operand(batch)
            if case .scalar(.boolean(true), _) = y { return y }
            if case .scalar(.boolean(false), _) = x { return y }
            if case .scalar(.boolean(false), _) = y { return x }
            if let (p, q) = Self.nullFreeBits(x, y) {
                return .column(try makeColumn(.boolean, count: n, validity: nil, storage: .boolean(p | q)))
            }
            let p = try Truth.of(x, count: n), q = try Truth.of(y, count: n)
            return .column(try Truth(isTrue: p.isTrue | q.isTrue, isFalse: p.isFalse & q.isFalse).column())
        case let .concat(a, b):
            return try StringKernels.concat(try a.operand(batch), try b.operand(batch), count: n)
        case let .isNull(x, negated):
            switch try x.operand(batch) {
            case let .scalar(value, _): return .scalar(.boolean((value == .null) != negated), .boolean)
            case let .column(c):
                let bits = negated ? c.isNotNull() : c.isNull()
                return .column(try makeColumn(.boolean, count: n, validity: nil, storage: .boolean(bits)))
            }
        case let .isTruth(x, value, negated):
            let inner = try x.operand(batch)
            if case let .scalar(v, _) = inner {
                let holds = v == .boolean(value)
                return .scalar(.boolean(holds != negated), .boolean)
            }
            let truth = try Truth.of(inner, count: n)
            let holds = value ? truth.isTrue : truth.isFalse
            return .column(try makeColumn(.boolean, count: n, validity: nil, storage: .boolean(negated ? ~holds : holds)))
        case let .inList(x, items, negated):
            let result = try Self.inList(try x.operand(batch), items, batch, count: n)
            if !negated { return result }
            if case let .scalar(v, _) = result {
                if case let .boolean(b) = v { return .scalar(.boolean(!b), .boolean) }
                return result
            }
            let truth = try Truth.of(result, count: n)
            return .column(try Truth(isTrue: truth.isFalse, isFalse: truth.isTrue).column())
        case let .inSet(x, set, negated):
            let result = try set.contains(try x.operand(batch).materialize(count: n))
            if !negated { return .column(result) }
            let truth = try Truth.of(result)
            return .column(try Truth(isTrue: truth.isFalse, isFalse: truth.isTrue).column())
        case let .like(x, pattern, negated):
            return try pattern.evaluate(try x.operand(batch), negated: negated, count: n)
        case let .caseWhen(branches, otherwise, type):
            return try Self.caseWhen(branches, otherwise, type: type, batch)
        case let .cast(x, type):
            return try Self.cast(try x.operand(batch), to: type)
        case let .function(function, arguments, type, _):
            var values: [Operand] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try argument.operand(batch)) }
            return try function.evaluate(values, type: type, count: n)
        }
    }

    // MARK: - Node kernels

    /// The bits of two boolean columns without NULLs (plain two-valued logic applies).
    static func nullFreeBits(_ x: Operand, _ y: Operand) -> (Bitmap, Bitmap)? {
        guard case let .column(a) = x, case let .column(b) = y, a.validity == nil, b.validity == nil,
              case let .boolean(p) = a.storage, case let .boolean(q) = b.storage else { return nil }
        return (p, q)
    }

    static func field(_ operand: Operand, index: Int, type: DataType) throws(ExpressionError) -> Operand {
        switch operand {
        case let .scalar(.structure(values), _):
            return .scalar(index < values.count ? values[index] : .null, type)
        case .scalar:
            return .scalar(.null, type)
        case let .column(c):
            guard case let .structure(children) = c.storage, index < children.count else {
                throw ExpressionError(.evaluation, "internal: field \(index) of a \(c.type.sqlName) column")
            }
            let child = children[index]
            guard let parent = c.validity else { return .column(child) }
            let validity = child.validity.map { $0 & parent } ?? parent
            return .column(try makeColumn(child.type, count: child.count, validity: validity, storage: child.storage))
        }
    }

    static func cast(_ operand: Operand, to type: DataType) throws(ExpressionError) -> Operand {
        if operand.type == type { return operand }
        switch operand {
        case let .scalar(value, from):
            if value == .null { return .scalar(.null, type) }
            do {
                let one = try Column(from, scalars: [value])
                return .scalar(try one.cast(to: type).value(at: 0), type)
            } catch {
                throw ExpressionError(.evaluation, "cannot cast \(value) from \(from.sqlName) to \(type.sqlName)")
            }
        case let .column(c):
            if let widened = try WideningKernels.widen(c, to: type) { return .column(widened) }
            do {
                return .column(try c.cast(to: type))
            } catch {
                throw .evaluation(error, "CAST to \(type.sqlName)")
            }
        }
    }

    static func compare(_ op: ComparisonOperator, _ a: Operand, _ b: Operand, count: Int) throws(ExpressionError) -> Operand {
        if case let (.column(x), .column(y)) = (a, b), x.type != y.type {
            throw ExpressionError(.evaluation, "internal: comparing \(x.type.sqlName) with \(y.type.sqlName)")
        }
        // String equality with a constant: length check, then bytes.
        if op == .equal || op == .notEqual {
            var column: Column? = nil, constant: String? = nil
            if case let (.column(x), .scalar(.string(c), _)) = (a, b) { column = x; constant = c }
            if case let (.scalar(.string(c), _), .column(y)) = (a, b) { column = y; constant = c }
            if let column, let constant, column.type == .string {
                let needle = Array(constant.utf8)
                let wantEqual = op == .equal
                return try StringKernels.mapToBooleans(.column(column)) { s in
                    (s.count == needle.count && StringKernels.hasPrefix(s, needle)) == wantEqual
                }
            }
        }
        do {
            switch (a, b) {
            case let (.column(x), .column(y)):
                return .column(try x.compare(op, y))
            case let (.column(x), .scalar(value, _)):
                return .column(try x.compareThreeValued(op, value))
            case let (.scalar(value, _), .column(y)):
                return .column(try y.compareThreeValued(op.flipped, value))
            case let (.scalar(x, xt), .scalar(y, _)):
                if x == .null || y == .null { return .scalar(.null, .boolean) }
                let one = try Column(xt, scalars: [x]).compareThreeValued(op, y)
                return .scalar(one.value(at: 0), .boolean)
            }
        } catch {
            throw .evaluation(error, "comparison")
        }
    }

    static func distinct(_ a: Operand, _ b: Operand, negated: Bool, count: Int) throws(ExpressionError) -> Operand {
        if case let (.scalar(x, xt), .scalar(y, _)) = (a, b) {
            let same: Bool
            if x == .null || y == .null {
                same = x == y
            } else {
                let eq = try compare(.equal, .scalar(x, xt), .scalar(y, xt), count: 1)
                if case .scalar(.boolean(true), _) = eq { same = true } else { same = false }
            }
            return .scalar(.boolean(same == negated), .boolean)
        }
        let x = try a.materialize(count: count), y = try b.materialize(count: count)
        let equal = try Truth.of(try compare(.equal, .column(x), .column(y), count: count), count: count)
        let vx = x.isNotNull(), vy = y.isNotNull()
        let same = equal.isTrue | ((~vx) & (~vy))
        return .column(try makeColumn(.boolean, count: count, validity: nil, storage: .boolean(negated ? same : ~same)))
    }

    static func inList(_ x: Operand, _ items: [BoundExpression], _ batch: RecordBatch, count: Int) throws(ExpressionError) -> Operand {
        if x.isNullScalar { return .scalar(.null, .boolean) }
        var literals: [ScalarValue] = []
        var allLiterals = true
        for item in items {
            if case let .literal(v, _) = item { literals.append(v) } else { allLiterals = false }
        }
        if allLiterals, case let .column(column) = x, let fast = try InListKernels.hashed(column, literals) {
            return .column(fast)
        }
        var truth: Truth? = nil
        for item in items {
            let one = try Truth.of(try compare(.equal, x, try item.operand(batch), count: count), count: count)
            truth = truth.map { Truth(isTrue: $0.isTrue | one.isTrue, isFalse: $0.isFalse & one.isFalse) } ?? one
        }
        guard let truth else { return .scalar(.boolean(false), .boolean) }
        if case .scalar = x, items.allSatisfy(\.isConstant) {
            let column = try truth.column()
            return .scalar(column.count > 0 ? column.value(at: 0) : .null, .boolean)
        }
        return .column(try truth.column())
    }

    static func caseWhen(_ branches: [BoundCaseBranch], _ otherwise: BoundExpression?, type: DataType, _ batch: RecordBatch) throws(ExpressionError) -> Operand {
        let n = batch.rowCount
        // When nothing in the CASE can fail, evaluate every part on all rows and blend.
        if n > 0, !branches.contains(where: { $0.when.canFail || $0.then.canFail }), !(otherwise?.canFail ?? false) {
            var truths: [Bitmap] = []
            var values: [Operand] = []
            for branch in branches {
                truths.append(try Truth.of(try branch.when.operand(batch), count: n).isTrue)
                values.append(try branch.then.operand(batch))
            }
            let fallback = try otherwise?.operand(batch) ?? .scalar(.null, type)
            switch type.storageKind {
            case .int64: return try Blend.fixed(truths, values, fallback, type: type, Int64.self, count: n)
            case .int32: return try Blend.fixed(truths, values, fallback, type: type, Int32.self, count: n)
            case .float64: return try Blend.fixed(truths, values, fallback, type: type, Double.self, count: n)
            case .int128: return try Blend.fixed(truths, values, fallback, type: type, Int128.self, count: n)
            default: break
            }
            // Other types: choose per row, first true branch wins.
            var choice = [Int](repeating: values.count, count: n)
            for k in stride(from: truths.count - 1, through: 0, by: -1) {
                for i in truths[k].setIndices { choice[i] = k }
            }
            return try Conditional.gather(values + [fallback], choice, type: type, count: n)
        }
        // Otherwise restrict the batch to the columns the CASE reads, then decide rows
        // branch by branch.
        var used = Set<Int>()
        for branch in branches { used.formUnion(branch.when.referencedColumns); used.formUnion(branch.then.referencedColumns) }
        if let otherwise { used.formUnion(otherwise.referencedColumns) }
        if used.count < batch.columns.count {
            let kept = used.sorted()
            var position: [Int: Int] = [:]
            for (k, index) in kept.enumerated() { position[index] = k }
            let remap: (Int) -> Int = { position[$0] ?? $0 }
            let narrowed = branches.map { BoundCaseBranch(when: $0.when.remappingColumns(remap), then: $0.then.remappingColumns(remap)) }
            let projected = kept.allSatisfy({ $0 < batch.columns.count }) ? batch.project(kept) : batch
            if projected.rowCount == n {
                return try caseByRows(narrowed, otherwise?.remappingColumns(remap), type: type, projected)
            }
        }
        return try caseByRows(branches, otherwise, type: type, batch)
    }

    static func caseByRows(_ branches: [BoundCaseBranch], _ otherwise: BoundExpression?, type: DataType, _ batch: RecordBatch) throws(ExpressionError) -> Operand {
        let n = batch.rowCount
        // Rows still undecided, as original row numbers, and the batch of those rows.
        var remaining: [Int]? = nil  // nil = all rows 0..<n
        var current = batch
        var pieces: [(rows: [Int]?, values: Column)] = []
        for branch in branches {
            if current.rowCount == 0 { break }
            let condition = try branch.when.operand(current)
            let chosen: Bitmap
            switch condition {
            case .scalar(.boolean(true), _): chosen = Bitmap(repeating: true, count: current.rowCount)
            case .scalar: continue
            case let .column(c):
                do { chosen = try c.selectionMask() } catch { throw .evaluation(error, "CASE condition") }
            }
            let chosenCount = chosen.setCount
            if chosenCount == 0 { continue }
            let selectedBatch: RecordBatch
            do { selectedBatch = try current.filter(chosen) } catch { throw .evaluation(error, "CASE") }
            let values = try branch.then.operand(selectedBatch).materialize(count: selectedBatch.rowCount)
            let rows = chosen.setIndices.map { remaining?[$0] ?? $0 }
            if chosenCount == current.rowCount {
                pieces.append((remaining, values))
                remaining = []
                current = RecordBatch.empty(batch.schema)
                break
            }
            pieces.append((rows, values))
            let rest = ~chosen
            remaining = rest.setIndices.map { remaining?[$0] ?? $0 }
            do { current = try current.filter(rest) } catch { throw .evaluation(error, "CASE") }
        }
        if current.rowCount > 0 {
            let values: Column
            if let otherwise {
                values = try otherwise.operand(current).materialize(count: current.rowCount)
            } else {
                values = Column.nulls(type, count: current.rowCount)
            }
            pieces.append((remaining, values))
        }
        // One piece covering every row in order: it is the result.
        if pieces.count == 1, pieces[0].rows == nil { return .column(pieces[0].values) }
        if pieces.isEmpty { return .column(Column.nulls(type, count: n)) }
        var position = [Int](repeating: 0, count: n)
        var offset = 0
        for piece in pieces {
            if let rows = piece.rows {
                for (i, row) in rows.enumerated() { position[row] = offset + i }
            } else {
                for row in 0..<piece.values.count { position[row] = offset + row }
            }
            offset += piece.values.count
        }
        do {
            let all = try Column.concat(pieces.map(\.values))
            return .column(try all.take(position))
        } catch {
            throw .evaluation(error, "CASE")
        }
    }
}

/// Blending CASE results of fixed-width types: start from the ELSE values, then let each
/// branch, last to first, overwrite the rows where its condition is true — so the first
/// true branch wins without tracking undecided rows.
enum Blend {
    static func fixed<T: ColumnPrimitive>(_ truths: [Bitmap], _ values: [Operand], _ fallback: Operand, type: DataType, _: T.Type, count n: Int) throws(ExpressionError) -> Operand {
        var out: [T]
        var valid: [UInt64]
        switch fallback {
        case let .column(c):
            guard let v = T.unwrap(c.storage), v.count == n else { throw ExpressionError(.evaluation, "internal: CASE value storage") }
            out = v
            valid = c.validity?.words ?? [UInt64](repeating: ~0, count: (n + 63) >> 6)
        case let .scalar(value, _):
            let constant = value == .null ? nil : ArithmeticKernels.scalarValue(value, T.self)
            out = [T](repeating: constant ?? T.zero, count: n)
            valid = [UInt64](repeating: constant == nil ? 0 : ~0, count: (n + 63) >> 6)
        }
        for k in stride(from: truths.count - 1, through: 0, by: -1) {
            let words = truths[k].words
            switch values[k] {
            case let .column(c):
                guard let v = T.unwrap(c.storage), v.count == n else { throw ExpressionError(.evaluation, "internal: CASE value storage") }
                let sourceValid = c.validity?.words
                out.withUnsafeMutableBufferPointer { o in
                    v.withUnsafeBufferPointer { src in
                        // SAFETY: truth bitmaps, values and the output all have n rows.
                        for (w, word) in words.enumerated() where word != 0 {
                            let base = w << 6
                            if word == ~0 {
                                for j in 0..<64 { o[base + j] = src[base + j] }
                                valid[w] = sourceValid?[w] ?? ~0
                                continue
                            }
                            var bits = word
                            while bits != 0 {
                                let j = bits.trailingZeroBitCount
                                o[base + j] = src[base + j]
                                bits &= bits &- 1
                            }
                            let incoming = sourceValid?[w] ?? ~0
                            valid[w] = (valid[w] & ~word) | (incoming & word)
                        }
                    }
                }
            case let .scalar(value, _):
                let constant = value == .null ? nil : ArithmeticKernels.scalarValue(value, T.self)
                out.withUnsafeMutableBufferPointer { o in
                    // SAFETY: truth bitmaps and the output have n rows.
                    for (w, word) in words.enumerated() where word != 0 {
                        let base = w << 6
                        var bits = word
                        while bits != 0 {
                            let j = bits.trailingZeroBitCount
                            o[base + j] = constant ?? T.zero
                            bits &= bits &- 1
                        }
                        valid[w] = constant == nil ? valid[w] & ~word : valid[w] | word
                    }
                }
            }
        }
        return .column(try makeColumn(type, count: n, validity: Bitmap(words: valid, count: n), storage: T.wrap(out)))
    }
}
