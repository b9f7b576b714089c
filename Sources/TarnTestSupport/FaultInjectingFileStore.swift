// FaultInjectingFileStore: an in-memory FileStore that can fail on cue and "crash".
// Owns the model of what is visible versus what is durable, per the FileStore promises,
// so tests can prove that acknowledged writes survive a crash and failed ones leave
// nothing behind. Must never be used outside tests.

import TarnIO

/// A `FileStore` in memory that keeps two trees: what readers see now (visible) and what
/// would survive a crash (durable). Each mutating operation runs in the steps a real
/// store goes through, and a `Fault` can make it throw just before any step:
///
/// | step          | before it has happened (a fault here leaves...)                         |
/// |---------------|---------------------------------------------------------------------------|
/// | `.start`      | nothing done; the operation has no effect                                 |
/// | `.publish`    | data written to a temporary file, parent directories created (durably); the change is not visible |
/// | `.makeDurable`| the change is visible to readers but not durable: `crash()` undoes it   |
///
/// `crash()` drops everything not durable, as power loss would. Without faults, every
/// operation completes all steps before returning, exactly as `InMemoryFileStore`.
/// `events` records each step as it completes, in order, so tests can check that data
/// files were durable before the commit that names them was published.
///
/// Thread-safe: one lock around each operation, so step sequences never interleave.
public final class FaultInjectingFileStore: FileStore {
    /// A `FileStore` method, as faults and events name it.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case list, listDirectories, read, head, putIfAbsent, put, delete, createDirectory, deleteDirectory
    }

    /// The points inside an operation where a fault can strike (see the type's table).
    /// Reads and listings only have `.start`.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        case start, publish, makeDurable
    }

    /// One completed step: `operation` on `path` got past `step` (for `.start`: the
    /// operation was called; `.publish`: its change became visible; `.makeDurable`:
    /// its change became durable). `number` is the operation's 1-based call number.
    public struct Event: Sendable, Hashable, CustomStringConvertible {
        public var number: Int
        public var operation: Operation
        public var path: String
        public var step: Step
        public var description: String { "#\(number) \(operation.rawValue) \(path) \(step.rawValue)" }
    }

    /// When to fail. A fault fires once, at the first step that matches all of its
    /// conditions after `skip` earlier matches, and is then removed.
    public struct Fault: Sendable {
        /// Operations it applies to; empty means any.
        public var operations: Set<Operation>
        /// A pattern over the whole path where `*` matches any run of characters
        /// (including '/'); nil means any path.
        public var pathPattern: String?
        /// The step it strikes before.
        public var step: Step
        /// Matching steps to let pass before firing (0: fire at the first match).
        public var skip: Int
        /// Only the call with this 1-based number (see `operationCount`), if set.
        public var operationNumber: Int?
        /// What to throw; nil throws `.io(path, operation, errno 5 (EIO), "injected fault")`.
        public var error: StorageError?

        public init(
            operations: Set<Operation> = [], pathPattern: String? = nil, step: Step = .start,
            skip: Int = 0, operationNumber: Int? = nil, error: StorageError? = nil
        ) {
            self.operations = operations
            self.pathPattern = pathPattern
            self.step = step
            self.skip = skip
            self.operationNumber = operationNumber
            self.error = error
        }

        /// Fails call number `number` (1-based, counting every call) before `step`.
        public static func operation(number: Int, step: Step = .start) -> Fault {
            Fault(step: step, operationNumber: number)
        }

        /// Fails the next put or putIfAbsent whose path matches `pattern`, before `step`.
        public static func write(matching pattern: String, step: Step = .start) -> Fault {
            Fault(operations: [.put, .putIfAbsent], pathPattern: pattern, step: step)
        }
    }

    private struct State {
        var visible = MemoryFileTree()
        var durable = MemoryFileTree()
        var faults: [Fault] = []
        var events: [Event] = []
        var operationCount = 0
    }

    private let state = Locked(State())

    public init() {}

    // MARK: Control

    /// Arms `fault`; faults are checked in the order they were added.
    public func inject(_ fault: Fault) {
        state.withLock { $0.faults.append(fault) }
    }

    /// Disarms every fault that has not fired.
    public func clearFaults() {
        state.withLock { $0.faults.removeAll() }
    }

    /// Simulates power loss and restart: every change that was visible but not durable
    /// is lost; readers see only the durable tree from now on.
    public func crash() {
        state.withLock { $0.visible = $0.durable }
    }

    /// Every completed step so far, in order.
    public var events: [Event] { state.withLock { $0.events } }

    /// Forgets recorded events (the operation count keeps running).
    public func clearEvents() { state.withLock { $0.events.removeAll() } }

    /// How many FileStore calls have been made (each call gets the next number).
    public var operationCount: Int { state.withLock { $0.operationCount } }

    /// Paths whose visible content differs from their durable content (files only,
    /// sorted): what `crash()` would change. Empty after successful operations.
    public var nonDurablePaths: [String] {
        state.withLock { state in
            let paths = Set(state.visible.files.keys).union(state.durable.files.keys)
            return paths.filter { state.visible.files[$0] != state.durable.files[$0] }.sorted(by: StoragePath.precedes)
        }
    }

    // MARK: FileStore

    public func list(prefix: String, after: String?, recursive: Bool) throws(StorageError) -> [FileInfo] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        return try state.withLock { (state) throws(StorageError) in
            try Self.start(&state, .list, directory)
            return try state.visible.list(directory: directory, after: after, recursive: recursive)
        }
    }

    public func listDirectories(prefix: String) throws(StorageError) -> [String] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        return try state.withLock { (state) throws(StorageError) in
            try Self.start(&state, .listDirectories, directory)
            return try state.visible.listDirectories(directory: directory)
        }
    }

    public func read(_ path: String) throws(StorageError) -> [UInt8] {
        try StoragePath.validateFile(path)
        return try state.withLock { (state) throws(StorageError) in
            try Self.start(&state, .read, path)
            return try state.visible.read(path, range: nil)
        }
    }

    public func read(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8] {
        try StoragePath.validateFile(path)
        return try state.withLock { (state) throws(StorageError) in
            try Self.start(&state, .read, path)
            return try state.visible.read(path, range: range)
        }
    }

    public func head(_ path: String) throws(StorageError) -> FileInfo {
        try StoragePath.validateFile(path)
        return try state.withLock { (state) throws(StorageError) in
            try Self.start(&state, .head, path)
            return try state.visible.info(at: path)
        }
    }

    public func putIfAbsent(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try StoragePath.validateFile(path)
        try write(.putIfAbsent, path, bytes)
    }

    public func put(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try StoragePath.validateFile(path)
        try write(.put, path, bytes)
    }

    public func delete(_ path: String) throws(StorageError) {
        try StoragePath.validateFile(path)
        try state.withLock { (state) throws(StorageError) in
            let number = try Self.start(&state, .delete, path)
            guard try state.visible.checkDelete(path) else { return }
            try Self.step(&state, number, .delete, path, .publish) { $0.visible.removeFile(path) }
            try Self.step(&state, number, .delete, path, .makeDurable) { $0.durable.removeFile(path) }
        }
    }

    public func createDirectory(_ path: String) throws(StorageError) {
        let directory = try StoragePath.normalizedDirectory(path)
        try state.withLock { (state) throws(StorageError) in
            let number = try Self.start(&state, .createDirectory, directory)
            try state.visible.checkCreateDirectory(directory)
            try Self.step(&state, number, .createDirectory, directory, .publish) { $0.visible.addDirectoryChain(directory) }
            try Self.step(&state, number, .createDirectory, directory, .makeDurable) { $0.durable.addDirectoryChain(directory) }
        }
    }

    public func deleteDirectory(_ path: String, recursively: Bool) throws(StorageError) {
        let directory = try StoragePath.normalizedDirectory(path)
        try state.withLock { (state) throws(StorageError) in
            let number = try Self.start(&state, .deleteDirectory, directory)
            guard try state.visible.checkDeleteDirectory(directory, recursively: recursively) else { return }
            try Self.step(&state, number, .deleteDirectory, directory, .publish) { $0.visible.removeDirectoryTree(directory) }
            try Self.step(&state, number, .deleteDirectory, directory, .makeDurable) { $0.durable.removeDirectoryTree(directory) }
        }
    }

    // MARK: Steps

    private func write(_ operation: Operation, _ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            let number = try Self.start(&state, operation, path)
            if operation == .putIfAbsent {
                try state.visible.checkParents(of: path)
            } else {
                try state.visible.checkCanReplace(path)
            }
            // A real store creates (and syncs) missing parents before writing the temporary file.
            let parent = StoragePath.parent(of: path)
            state.visible.addDirectoryChain(parent)
            state.durable.addDirectoryChain(parent)
            try Self.check(&state, number, operation, path, .publish)
            if operation == .putIfAbsent { try state.visible.checkCanCreate(path) }
            let file = MemoryFileTree.StoredFile(bytes: bytes, modificationTime: MemoryFileTree.now())
            state.visible.setFile(path, file)
            state.events.append(Event(number: number, operation: operation, path: path, step: .publish))
            try Self.step(&state, number, operation, path, .makeDurable) { $0.durable.setFile(path, file) }
        }
    }

    /// Counts the call, checks faults at `.start` and records the event; returns the call number.
    @discardableResult
    private static func start(_ state: inout State, _ operation: Operation, _ path: String) throws(StorageError) -> Int {
        state.operationCount += 1
        let number = state.operationCount
        try check(&state, number, operation, path, .start)
        state.events.append(Event(number: number, operation: operation, path: path, step: .start))
        return number
    }

    /// Checks faults before `step`, applies `change`, records the event.
    private static func step(
        _ state: inout State, _ number: Int, _ operation: Operation, _ path: String, _ step: Step,
        _ change: (inout State) -> Void
    ) throws(StorageError) {
        try check(&state, number, operation, path, step)
        change(&state)
        state.events.append(Event(number: number, operation: operation, path: path, step: step))
    }

    /// Throws if an armed fault matches this step; the fault is used up.
    private static func check(
        _ state: inout State, _ number: Int, _ operation: Operation, _ path: String, _ step: Step
    ) throws(StorageError) {
        for index in state.faults.indices {
            let fault = state.faults[index]
            guard fault.step == step,
                  fault.operations.isEmpty || fault.operations.contains(operation),
                  fault.operationNumber.map({ $0 == number }) ?? true,
                  fault.pathPattern.map({ globMatches($0, path) }) ?? true
            else { continue }
            if fault.skip > 0 {
                state.faults[index].skip -= 1
                continue
            }
            state.faults.remove(at: index)
            throw fault.error ?? .io(path: path, operation: "\(operation.rawValue) (\(step.rawValue))", errno: 5, detail: "injected fault")
        }
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let pattern = Array(pattern.utf8)
    let text = Array(text.utf8)
    var p = 0, t = 0
    var starAt = -1, resumeText = 0
    while t < text.count {
        if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
            starAt = p
            resumeText = t
            p += 1
        } else if p < pattern.count, pattern[p] == text[t] {
            p += 1
            t += 1
        } else if starAt >= 0 {
            p = starAt + 1
            resumeText += 1
            t = resumeText
        } else {
            return false
        }
    }
    while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
}
