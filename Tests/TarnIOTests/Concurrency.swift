// Concurrency: runs a body on many threads at once, for the race tests.

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
