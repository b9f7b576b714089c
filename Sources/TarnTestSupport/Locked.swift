// Locked: a value guarded by a lock, for the test stores' shared state.
// Owns the only @unchecked Sendable of TarnTestSupport; must never hand out the value
// outside `withLock`.

import Foundation

/// A value that is only read or changed while holding a lock.
final class Locked<State>: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `state` is private and touched only inside
    // `withLock`, which holds `lock` for the whole access.
    private let lock = NSLock()
    private var state: State

    init(_ state: State) { self.state = state }

    func withLock<Result, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
