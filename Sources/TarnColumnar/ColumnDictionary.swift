// ColumnDictionary: the optional side-car of a Column that names each row's value by a
// code into a small table of distinct values (what a Parquet dictionary page stores), so
// GROUP BY and joins can work on codes. Owns the attach check (codes in range); must never
// replace the materialized storage — every column stays readable without its dictionary.

/// Codes and distinct values of a dictionary-encoded column.
///
/// Invariants (checked by `Column.withDictionary`): `codes.count` equals the column's
/// count, every code lies in `0..<values.count`, `values` has the column's type, no nulls
/// and no dictionary of its own. Null rows of the column hold some in-range code (0 is
/// usual); read the column's validity, not the code, to tell a null.
///
/// Contract the attacher guarantees (not verified, it would cost a full compare): at every
/// valid row i the column's value equals `values[codes[i]]`. Distinct codes need not mean
/// distinct values (two chunks' dictionaries may repeat a value), and some values may be
/// used by no row.
///
/// Thread safety: immutable; shared freely between columns and threads.
public final class ColumnDictionary: Sendable {
    /// One code per row of the column.
    public let codes: [Int32]
    /// The distinct values the codes point at.
    public let values: Column

    init(unchecked codes: [Int32], values: Column) {
        self.codes = codes
        self.values = values
    }
}

extension Column {
    /// The same column with a dictionary side-car attached.
    /// - Parameters:
    ///   - codes: one code per row into `values` (any in-range code at null rows).
    ///   - values: the distinct values, of this column's type, without nulls.
    /// - Throws: `.invalidBatch` when the counts disagree or a code is out of range,
    ///   `.typeMismatch` when `values` has another type, `.invalidValue` when it holds nulls.
    /// - Cost: O(count) to check the codes; no copy of the storage.
    public func withDictionary(codes: [Int32], values: Column) throws(ColumnarError) -> Column {
        try withDictionary(codes: codes, values: values, codesInRange: false)
    }

    /// `withDictionary(codes:values:)` for a caller that has already checked every code
    /// against `values.count` while producing them (the Parquet reader: its dictionary
    /// decoder range-checks each page's indices before gathering, and null rows get 0 of
    /// a non-empty dictionary), so the O(count) scan is not repeated on every column read.
    /// The O(1) checks (counts, type, no nulls) still run.
    package func withDictionary(rangeCheckedCodes codes: [Int32], values: Column) throws(ColumnarError) -> Column {
        try withDictionary(codes: codes, values: values, codesInRange: true)
    }

    private func withDictionary(codes: [Int32], values: Column, codesInRange: Bool) throws(ColumnarError) -> Column {
        guard codes.count == count else {
            throw .invalidBatch("dictionary has \(codes.count) codes for a column of \(count) values")
        }
        guard values.type == type else {
            throw .typeMismatch(expected: "\(type)", actual: "\(values.type)", context: "dictionary values")
        }
        guard values.validity == nil else {
            throw .invalidValue("dictionary values hold \(values.nullCount) nulls; nulls belong in the column's validity")
        }
        let bound = values.count
        let outOfRange: Int? = codesInRange ? nil : codes.withUnsafeBufferPointer { buffer in
            // Negative codes read as huge unsigned values, so one running maximum bounds
            // both ends (a branch-free loop that vectorizes); the offending position is
            // searched only on failure.
            var largest: UInt32 = 0
            for code in buffer { largest = max(largest, UInt32(bitPattern: code)) }
            guard !buffer.isEmpty, Int(largest) >= bound else { return nil }
            return buffer.firstIndex { $0 < 0 || Int($0) >= bound }
        }
        if let position = outOfRange {
            throw .invalidBatch("dictionary code \(codes[position]) at row \(position) is outside 0..<\(bound)")
        }
        let plainValues = values.dictionary == nil ? values : values.withoutDictionary
        return Column(unchecked: type, count: count, validity: validity, storage: storage,
                      dictionary: ColumnDictionary(unchecked: codes, values: plainValues))
    }

    /// The same column without its dictionary side-car.
    public var withoutDictionary: Column {
        Column(unchecked: type, count: count, validity: validity, storage: storage)
    }

    /// The side-car of rows `range` (caller checked the range).
    func dictionarySlice(_ range: Range<Int>) -> ColumnDictionary? {
        guard let dictionary else { return nil }
        return ColumnDictionary(unchecked: Array(dictionary.codes[range]), values: dictionary.values)
    }

    /// The side-car of the rows at `indices` (caller checked every index).
    func dictionaryGather(_ indices: [Int]) -> ColumnDictionary? {
        guard let dictionary else { return nil }
        let codes = dictionary.codes
        let gathered = [Int32](unsafeUninitializedCapacity: indices.count) { buffer, initialized in
            codes.withUnsafeBufferPointer { source in
                indices.withUnsafeBufferPointer { rows in
                    // SAFETY: every index was checked against the column's count, which equals codes.count.
                    for o in 0..<rows.count { buffer[o] = source[rows[o]] }
                }
            }
            initialized = indices.count
        }
        return ColumnDictionary(unchecked: gathered, values: dictionary.values)
    }

    /// This column carrying `dictionary` (already consistent with its rows).
    func attaching(_ dictionary: ColumnDictionary?) -> Column {
        guard let dictionary else { return self }
        return Column(unchecked: type, count: count, validity: validity, storage: storage, dictionary: dictionary)
    }
}
