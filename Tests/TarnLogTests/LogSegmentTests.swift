// LogSegmentTests: pure selection of checkpoint + commits from a `_delta_log` listing.
import Testing
import TarnIO
@testable import TarnLog

@Suite("Log segment selection")
struct LogSegmentTests {
    static func listing(_ names: [String]) -> [FileInfo] {
        names.map { FileInfo(path: "t/_delta_log/" + $0, size: 1, modificationTime: 0) }
    }

    static func commits(_ versions: ClosedRange<Int64>) -> [String] { versions.map { LogFileName.commit($0) } }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var files: [String]
        var target: Int64?
        /// Expected (checkpoint version or nil, first commit, last commit) or the error case name.
        var expected: Expected
        var testDescription: String { name }
    }

    enum Expected: Sendable {
        case success((Int64?, [Int64]))
        case failure(String)
    }

    static let cases: [Case] = [
        Case(name: "commits only, latest", files: commits(0...3), target: nil, expected: .success((nil, [0, 1, 2, 3]))),
        Case(name: "commits only, time travel", files: commits(0...3), target: 1, expected: .success((nil, [0, 1]))),
        Case(name: "single checkpoint then commits", files: commits(0...12) + [LogFileName.checkpoint(10), "_last_checkpoint"],
             target: nil, expected: .success((10, [11, 12]))),
        Case(name: "target before the checkpoint uses commits", files: commits(0...12) + [LogFileName.checkpoint(10)],
             target: 9, expected: .success((nil, Array(0...9)))),
        Case(name: "target at the checkpoint", files: commits(0...12) + [LogFileName.checkpoint(10)],
             target: 10, expected: .success((10, []))),
        Case(name: "complete multi-part checkpoint", files: commits(5...7) + [LogFileName.checkpointPart(5, part: 1, parts: 2), LogFileName.checkpointPart(5, part: 2, parts: 2)],
             target: nil, expected: .success((5, [6, 7]))),
        Case(name: "incomplete multi-part checkpoint falls back", files: commits(0...7) + [LogFileName.checkpointPart(5, part: 1, parts: 2)],
             target: nil, expected: .success((nil, Array(0...7)))),
        Case(name: "cleaned commits covered by a checkpoint", files: commits(20...22) + [LogFileName.checkpoint(20)],
             target: 21, expected: .success((20, [21]))),
        Case(name: "checkpoint without later commits", files: [LogFileName.checkpoint(20)], target: nil, expected: .success((20, []))),
        Case(name: "v2 and crc files are ignored", files: commits(0...1) + ["00000000000000000001.crc", "00000000000000000001.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.parquet"],
             target: nil, expected: .success((nil, [0, 1]))),
        Case(name: "version gone", files: commits(20...22) + [LogFileName.checkpoint(20)], target: 19, expected: .failure("versionGone")),
        Case(name: "version not yet written", files: commits(0...2), target: 5, expected: .failure("missingVersion")),
        Case(name: "gap after the checkpoint", files: commits(0...10) + commits(12...13) + [LogFileName.checkpoint(10)],
             target: nil, expected: .failure("corrupt")),
        Case(name: "gap without a checkpoint", files: commits(0...1) + commits(3...4), target: nil, expected: .failure("corrupt")),
        Case(name: "no log", files: ["_last_checkpoint"], target: nil, expected: .failure("tableNotFound")),
    ]

    @Test("selection", arguments: cases)
    func selection(_ c: Case) {
        do {
            let segment = try LogSegment.select(listing: Self.listing(c.files), tablePath: "t", targetVersion: c.target)
            guard case let .success((checkpoint, commits)) = c.expected else {
                Issue.record("expected an error, got \(segment)")
                return
            }
            #expect(segment.checkpoint?.version == checkpoint)
            #expect(segment.commits.map(\.version) == commits)
            #expect(segment.version == (c.target ?? segment.version))
        } catch let error {
            guard case let .failure(name) = c.expected else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(String(describing: error).isEmpty == false)
            let matches: Bool
            switch error {
            case .versionGone(_, let available, _): matches = name == "versionGone" && available.lowerBound == 20
            case .missingVersion: matches = name == "missingVersion"
            case let .corrupt(path, _, _, detail): matches = name == "corrupt" && path.hasSuffix(".json") && detail.contains("missing")
            case .tableNotFound: matches = name == "tableNotFound"
            default: matches = false
            }
            #expect(matches, "got \(error)")
        }
    }

    @Test("log file names parse", arguments: [
        ("00000000000000000010.json", LogFileKind.commit, Int64(10)),
        ("00000000000000000010.checkpoint.parquet", .singleCheckpoint, 10),
        ("00000000000000000010.checkpoint.0000000002.0000000003.parquet", .multiPartCheckpoint(part: 2, parts: 3), 10),
        ("00000000000000000010.crc", .ignored, 10),
        ("00000000000000000001.00000000000000000009.compacted.json", .ignored, 1),
    ])
    func names(_ name: String, _ kind: LogFileKind, _ version: Int64) {
        #expect(LogFileName.parse(Substring(name)) == LogFileName(version: version, kind: kind))
    }

    @Test("non-log names are rejected", arguments: ["_last_checkpoint", "0001.json", "0000000000000000000x.json", "abc"])
    func notLogFiles(_ name: String) {
        #expect(LogFileName.parse(Substring(name)) == nil)
    }
}
