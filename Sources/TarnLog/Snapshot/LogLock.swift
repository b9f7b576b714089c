// LogLock: a value guarded by a lock, for DeltaLog's snapshot cache and the results of
// parallel commit reads. Owns TarnLog's only @unchecked Sendable; must never hand out
// the guarded value outside `withLock`.
import Foundation

final class LogLock<State>: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `state` is private and touched only inside `withLock`,
    // which holds `lock` for the whole access.
    private let lock = NSLock()
    private var state: State

    init(_ state: State) { self.state = state }

    func withLock<R>(_ body: (inout State) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }
}
