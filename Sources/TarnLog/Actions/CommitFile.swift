// CommitFile: reading and writing one commit file (`_delta_log/<version>.json`),
// newline-delimited JSON with one action per line. Owns line splitting and error
// context (file, version, line); must never touch storage.

public enum CommitFile {
    /// Parses a commit file's bytes into its actions, in file order. Unknown action
    /// types are skipped; blank lines are allowed.
    /// - Throws: `LogError.corrupt` naming `path`, `version` and the 1-based line.
    public static func parse(_ bytes: [UInt8], path: String, version: Int64?) throws(LogError) -> [Action] {
        var actions: [Action] = []
        var lineStart = 0
        var lineNumber = 1
        let count = bytes.count
        while lineStart < count {
            var lineEnd = lineStart
            // Finding the newline: one pass, no per-line copy.
            while lineEnd < count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            var blank = true
            for i in lineStart..<contentEnd where bytes[i] != 0x20 && bytes[i] != 0x09 {
                blank = false
                break
            }
            if !blank {
                let value: JSONValue
                do {
                    value = try JSONParser.parse(bytes, range: lineStart..<contentEnd)
                } catch {
                    throw LogError.corrupt(path: path, version: version, line: lineNumber,
                                           detail: "invalid JSON at byte \(error.offset - lineStart) of the line: \(error.message)")
                }
                do {
                    if let action = try Action.decode(value) { actions.append(action) }
                } catch {
                    throw LogError.corrupt(path: path, version: version, line: lineNumber, detail: error.message)
                }
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        return actions
    }

    /// The bytes of a commit file holding `actions`, one per line, each line ending in '\n'.
    public static func serialize(_ actions: [Action]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(actions.count * 256)
        for action in actions {
            guard let json = action.json else { continue }
            JSONWriter.write(json, into: &out)
            out.append(0x0A)
        }
        return out
    }
}
