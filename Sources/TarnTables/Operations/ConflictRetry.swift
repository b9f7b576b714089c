// Conflict retries of DELETE, UPDATE and MERGE: after a conflicting concurrent commit
// the whole operation is planned again on the new snapshot (so its result is as if it
// ran after the winner). Owns the bound; never retries anything but `.conflict`.

extension Table {
    /// How often DELETE, UPDATE and MERGE plan again after a conflict unless told otherwise.
    public static let defaultConflictRetries = 3

    /// Runs `attempt` until it does not fail with `.conflict`, at most `1 + retries`
    /// times; returns its result and the number of retries used.
    func retryingConflicts<T>(_ retries: Int, _ attempt: () throws(TableError) -> T) throws(TableError) -> (T, Int) {
        var used = 0
        while true {
            do {
                return (try attempt(), used)
            } catch where error.code == .conflict && used < max(0, retries) {
                used += 1
            }
        }
    }
}
