// Threads: runs a body on many threads at once, and collects what they report, for the race tests.

import Foundation

enum Threads {
    /// Runs `body(0..<iterations)` on as many threads as the system gives, returning when
    /// all are done.
    static func concurrentPerform(iterations: Int, _ body: @escaping @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
    }

    /// Starts `count` threads that wait until all exist, then run `body` together.
    static func race(threads count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let ready = DispatchGroup()
        let finished = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for index in 0..<count {
            ready.enter()
            finished.enter()
            let thread = Thread {
                ready.leave()
                start.wait()
                body(index)
                finished.leave()
            }
            thread.start()
        }
        ready.wait()
        for _ in 0..<count { start.signal() }
        finished.wait()
    }
}

/// A lock-guarded box for collecting results from many threads in a test.
final class Collected<Value>: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `value` is only touched while holding `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func update(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&value)
    }
    var snapshot: Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
