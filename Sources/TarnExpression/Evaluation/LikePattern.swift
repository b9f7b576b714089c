// LikePattern: a LIKE/ILIKE pattern compiled once — `%` any run of characters, `_`
// exactly one character (a UTF-8 code point), an optional escape character — and
// matched on raw bytes with fast paths for exact, prefix, suffix and contains shapes.
// Must never backtrack exponentially: segments between `%` match leftmost-first.

import TarnColumnar

/// A compiled LIKE pattern.
public struct LikePattern: Sendable, Hashable {
    public let text: String
    public let escape: Character?
    public let caseInsensitive: Bool

    /// One element of a segment: literal bytes or one any-character.
    enum Piece: Sendable, Hashable {
        case bytes([UInt8])
        case anyCharacter
    }

    /// The pattern split at `%`: the first segment is anchored at the start unless the
    /// pattern starts with `%`, the last at the end unless it ends with `%`.
    let segments: [[Piece]]
    let hasPercent: Bool

    init(_ text: String, escape: Character?, caseInsensitive: Bool, at location: SourceLocation?) throws(ExpressionError) {
        self.text = text
        self.escape = escape
        self.caseInsensitive = caseInsensitive
        var segments: [[Piece]] = [[]]
        var literal: [UInt8] = []
        var escaping = false
        var sawPercent = false
        func flush() {
            if !literal.isEmpty {
                segments[segments.count - 1].append(.bytes(literal))
                literal = []
            }
        }
        let source = caseInsensitive ? text.lowercased() : text
        for ch in source {
            if escaping {
                literal.append(contentsOf: String(ch).utf8)
                escaping = false
            } else if let escape, ch == escape {
                escaping = true
            } else if ch == "%" {
                flush()
                segments.append([])
                sawPercent = true
            } else if ch == "_" {
                flush()
                segments[segments.count - 1].append(.anyCharacter)
            } else {
                literal.append(contentsOf: String(ch).utf8)
            }
        }
        if escaping {
            throw ExpressionError(.invalidArgument, "LIKE pattern '\(text)' ends with the escape character", at: location)
        }
        flush()
        self.segments = segments
        self.hasPercent = sawPercent
    }

    /// Whether `s` (bytes, already lower-cased for ILIKE) matches.
    func matches(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        if !hasPercent {
            guard let end = LikePattern.match(segments[0], s, at: 0) else { return false }
            return end == s.count
        }
        var position = 0
        let first = segments[0], last = segments[segments.count - 1]
        if !first.isEmpty {
            guard let end = LikePattern.match(first, s, at: 0) else { return false }
            position = end
        }
        for segment in segments.dropFirst().dropLast() where !segment.isEmpty {
            guard let (_, end) = LikePattern.search(segment, s, from: position) else { return false }
            position = end
        }
        if last.isEmpty { return true }
        // The last segment must end exactly at the end: try its leftmost placement at or
        // after `position` that ends at s.count (segments have a fixed character length).
        var start = position
        while start <= s.count {
            if let end = LikePattern.match(last, s, at: start), end == s.count { return true }
            if start == s.count { break }
            start += 1
            while start < s.count && StringKernels.isContinuation(s[start]) { start += 1 }
        }
        return false
    }

    /// End of `segment` matched at `start`, or nil.
    static func match(_ segment: [Piece], _ s: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start
        for piece in segment {
            switch piece {
            case let .bytes(b):
                guard i + b.count <= s.count else { return nil }
                for (k, byte) in b.enumerated() where s[i + k] != byte { return nil }
                i += b.count
            case .anyCharacter:
                guard i < s.count else { return nil }
                i += 1
                while i < s.count && StringKernels.isContinuation(s[i]) { i += 1 }
            }
        }
        return i
    }

    /// Leftmost placement of `segment` at a character boundary at or after `from`.
    static func search(_ segment: [Piece], _ s: UnsafeBufferPointer<UInt8>, from: Int) -> (Int, Int)? {
        if segment.count == 1, case let .bytes(b) = segment[0] {
            guard let i = StringKernels.find(b, in: s, from: from) else { return nil }
            return (i, i + b.count)
        }
        var start = from
        while start <= s.count {
            if let end = match(segment, s, at: start) { return (start, end) }
            start += 1
            while start < s.count && StringKernels.isContinuation(s[start]) { start += 1 }
        }
        return nil
    }

    func evaluate(_ operand: Operand, negated: Bool, count: Int) throws(ExpressionError) -> Operand {
        if caseInsensitive {
            var scratch: [UInt8] = []
            return try StringKernels.mapToBooleans(operand) { s in
                scratch.removeAll(keepingCapacity: true)
                StringKernels.lower(s, &scratch)
                return scratch.withUnsafeBufferPointer { matches($0) } != negated
            }
        }
        // Shapes with a direct test.
        if segments.allSatisfy({ $0.allSatisfy { if case .bytes = $0 { return true } else { return false } } }) {
            let literals = segments.map { seg -> [UInt8] in seg.flatMap { if case let .bytes(b) = $0 { return b } else { return [] } } }
            if !hasPercent {
                let needle = literals[0]
                return try StringKernels.mapToBooleans(operand) { s in (s.count == needle.count && StringKernels.hasPrefix(s, needle)) != negated }
            }
            if literals.count == 2, literals[1].isEmpty, case let .column(column) = operand {
                return .column(try StringKernels.prefixMask(column, literals[0], negated: negated))
            }
            if literals.count == 2 {
                let (p, q) = (literals[0], literals[1])
                return try StringKernels.mapToBooleans(operand) { s in
                    (s.count >= p.count + q.count && StringKernels.hasPrefix(s, p) && StringKernels.hasSuffix(s, q)) != negated
                }
            }
            if literals.count == 3, literals[0].isEmpty, literals[2].isEmpty {
                let needle = literals[1]
                return try StringKernels.mapToBooleans(operand) { s in (StringKernels.find(needle, in: s) != nil) != negated }
            }
        }
        return try StringKernels.mapToBooleans(operand) { s in matches(s) != negated }
    }
}
