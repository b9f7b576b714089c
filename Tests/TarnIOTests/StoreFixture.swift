// StoreFixture: the stores every shared FileStore test runs against.
// Owns creating each store (LocalFileStore in a fresh temporary directory) and
// removing its files afterwards; must never point a store at a shared directory.

import Foundation
import TarnIO
import TarnTestSupport
import Testing

/// Which FileStore implementation a table-driven test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local, inMemory, faultInjecting

    var testDescription: String { rawValue }
}

/// A store under test plus what it takes to clean up after it.
final class StoreFixture {
    let kind: StoreKind
    let store: any FileStore
    /// The root directory of a LocalFileStore; nil for in-memory stores.
    let rootDirectory: String?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        switch kind {
        case .local:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("tarn-io-tests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            rootDirectory = directory
            store = LocalFileStore(root: directory)
        case .inMemory:
            rootDirectory = nil
            store = InMemoryFileStore()
        case .faultInjecting:
            rootDirectory = nil
            store = FaultInjectingFileStore()
        }
    }

    deinit {
        if let rootDirectory { try? FileManager.default.removeItem(atPath: rootDirectory) }
    }
}

/// Bytes 0, 1, 2, ... wrapping at 256, `count` of them.
func countingBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0) }
}
