// Local files named in FROM (parquet.`glob`, csv.`path`): glob expansion, sizes and
// contents. The only Foundation file-system use of the planner; never writes.
import Foundation

enum LocalFiles {
    static func expandGlob(_ pattern: String) throws(SQLError) -> [String] {
        let slash = pattern.lastIndex(of: "/")
        let directory = slash.map { String(pattern[..<$0]) } ?? "."
        let name = slash.map { String(pattern[pattern.index(after: $0)...]) } ?? pattern
        if !name.contains(where: { "*?[".contains($0) }) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: pattern, isDirectory: &isDirectory), isDirectory.boolValue {
                return try LocalFiles.expandGlob(pattern + "/*.parquet")
            }
            return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
        }
        if directory.contains(where: { "*?[".contains($0) }) {
            throw SQLError(.unsupported, "wildcards are supported in the file name only, not in directories: \(pattern)")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "/" : directory)
        } catch {
            throw SQLError(.io, "cannot list \(directory) for \(pattern)", cause: StringError("\(error)"))
        }
        return entries.filter { fnmatch(name, $0, 0) == 0 }.sorted().map { directory.isEmpty ? "/" + $0 : directory + "/" + $0 }
    }


    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
