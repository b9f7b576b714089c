// The interactive `tarn sql` shell: reads statements (possibly over several lines, ended by
// ';'), runs them, and keeps a history for the session. Line editing works in a plain
// terminal (raw mode: arrows, backspace, Home/End, Ctrl-A/E/U/C/D). Ctrl-C while a
// statement runs cancels the statement, never the shell.
import Foundation
import TarnSQL

final class SQLShell {
    let session: SQLSession
    let printer: SQLResultPrinter
    let root: String
    private var history: [String] = []
    private var failed = false

    init(session: SQLSession, printer: SQLResultPrinter, root: String) {
        self.session = session
        self.printer = printer
        self.root = root
    }

    static let help = """
        Enter SQL statements ending with ';' (they may span several lines).
        Up/Down recall earlier statements; Ctrl-C clears the input or cancels a running statement.
          .help            this text
          .tables [ns]     list tables (of one namespace)
          .namespaces      list namespaces
          .quit, \\q        leave (also Ctrl-D on an empty line)
        """

    /// Runs until EOF or .quit; returns the exit status (1 when the last statement failed).
    func run() -> Int32 {
        writeOut("tarn sql \(TarnVersion.string) — lakehouse \(root). Statements end with ';'. .help for help, \\q to quit.\n")
        let editor = LineEditor()
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? "tarn> " : "   -> "
            guard let line = editor.readLine(prompt: prompt, history: history) else {
                if !buffer.isEmpty { writeOut("\n") }
                break
            }
            if line == LineEditor.interrupted {
                buffer = ""
                continue
            }
            if buffer.isEmpty {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix(".") || trimmed.hasPrefix("\\") {
                    if !meta(trimmed) { break }
                    continue
                }
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            guard SQLShell.isComplete(buffer) else { continue }
            let text = buffer
            buffer = ""
            // A statement typed over several lines is recalled as one line (unless joining
            // its lines would let a `--` comment swallow the rest).
            history.append(text.contains("--") ? text : text.split(separator: "\n").joined(separator: " "))
            execute(text)
        }
        return failed ? 1 : 0
    }

    private func execute(_ text: String) {
        ShellSignals.installCancellingHandler()
        defer { ShellSignals.restoreDefaultHandler() }
        failed = !SQLCommand.runScript(text, session: session, printer: printer)
    }

    /// Handles a meta command; false to leave the shell.
    private func meta(_ command: String) -> Bool {
        let words = command.split(separator: " ").map(String.init)
        switch words.first?.lowercased() ?? "" {
        case ".quit", ".exit", "\\q", "\\quit":
            return false
        case ".help", "\\?", "\\h":
            writeOut(SQLShell.help + "\n")
        case ".tables", "\\dt":
            execute(words.count > 1 ? "SHOW TABLES IN \(words[1]);" : "SHOW TABLES;")
        case ".namespaces", "\\dn":
            execute("SHOW NAMESPACES;")
        default:
            writeOut("unknown command \(words.first ?? command); .help lists the commands\n")
        }
        return true
    }

    /// Whether `text` ends with ';' outside strings, quoted identifiers and comments.
    static func isComplete(_ text: String) -> Bool {
        var lastSignificant: Character? = nil
        var quote: Character? = nil
        var lineComment = false
        var blockComment = false
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
            if lineComment {
                if c == "\n" { lineComment = false }
            } else if blockComment {
                if c == "*" && next == "/" { blockComment = false; i += 1 }
            } else if let q = quote {
                if c == q {
                    if next == q { i += 1 } else { quote = nil }
                }
                lastSignificant = c
            } else if c == "-" && next == "-" {
                lineComment = true
                i += 1
            } else if c == "/" && next == "*" {
                blockComment = true
                i += 1
            } else if c == "'" || c == "\"" || c == "`" {
                quote = c
                lastSignificant = c
            } else if !c.isWhitespace {
                lastSignificant = c
            }
            i += 1
        }
        return quote == nil && !blockComment && lastSignificant == ";"
    }
}

/// A small line editor over a terminal in raw mode. Falls back to plain `readLine` when the
/// terminal cannot be put in raw mode.
final class LineEditor {
    /// Returned for Ctrl-C: the caller drops the statement being typed.
    static let interrupted = "\u{3}"

    func readLine(prompt: String, history: [String]) -> String? {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else {
            writeOut(prompt)
            return Swift.readLine(strippingNewline: true)
        }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            // SAFETY: VMIN and VTIME are valid indices of the c_cc array (NCCS > both).
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0 else {
            writeOut(prompt)
            return Swift.readLine(strippingNewline: true)
        }
        defer { _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &original) }

        var line: [Character] = []
        var cursor = 0
        // History browsing: index into history (history.count = the line being typed).
        var index = history.count
        var typed: [Character] = []
        let promptWidth = prompt.count

        func redraw() {
            var out = "\r" + prompt + String(line) + "\u{1B}[K"
            let back = line.count - cursor
            if back > 0 { out += "\u{1B}[\(back)D" }
            _ = promptWidth
            writeOut(out)
        }
        func show(_ entry: [Character]) {
            line = entry
            cursor = line.count
            redraw()
        }

        writeOut(prompt)
        while true {
            guard let byte = readByte() else { return line.isEmpty ? nil : String(line) }
            switch byte {
            case 0x0D, 0x0A:
                writeOut("\r\n")
                return String(line)
            case 0x03: // Ctrl-C
                writeOut("^C\r\n")
                return LineEditor.interrupted
            case 0x04: // Ctrl-D
                if line.isEmpty {
                    writeOut("\r\n")
                    return nil
                }
                if cursor < line.count { line.remove(at: cursor); redraw() }
            case 0x7F, 0x08: // Backspace
                if cursor > 0 {
                    line.remove(at: cursor - 1)
                    cursor -= 1
                    redraw()
                }
            case 0x01: cursor = 0; redraw()            // Ctrl-A
            case 0x05: cursor = line.count; redraw()   // Ctrl-E
            case 0x15: line.removeFirst(cursor); cursor = 0; redraw() // Ctrl-U
            case 0x0B: line.removeLast(line.count - cursor); redraw() // Ctrl-K
            case 0x1B: // escape sequence
                guard let b1 = readByte() else { continue }
                guard b1 == 0x5B || b1 == 0x4F, let b2 = readByte() else { continue }
                switch b2 {
                case 0x41: // Up
                    if index > 0 {
                        if index == history.count { typed = line }
                        index -= 1
                        show(Array(history[index]))
                    }
                case 0x42: // Down
                    if index < history.count {
                        index += 1
                        show(index == history.count ? typed : Array(history[index]))
                    }
                case 0x43: if cursor < line.count { cursor += 1; redraw() }
                case 0x44: if cursor > 0 { cursor -= 1; redraw() }
                case 0x48: cursor = 0; redraw()
                case 0x46: cursor = line.count; redraw()
                case 0x31...0x39: // ESC [ n ~
                    var code = Int(b2 - 0x30)
                    while let b = readByte(), b != 0x7E {
                        guard b >= 0x30 && b <= 0x39 else { break }
                        code = code * 10 + Int(b - 0x30)
                    }
                    switch code {
                    case 1, 7: cursor = 0; redraw()
                    case 4, 8: cursor = line.count; redraw()
                    case 3: if cursor < line.count { line.remove(at: cursor); redraw() }
                    default: break
                    }
                default: break
                }
            default:
                guard byte >= 0x20 || byte == 0x09 else { continue }
                var bytes = [byte]
                let extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0
                for _ in 0..<extra {
                    guard let b = readByte() else { break }
                    bytes.append(b)
                }
                let text = String(decoding: bytes, as: UTF8.self)
                for ch in text {
                    line.insert(ch == "\t" ? " " : ch, at: cursor)
                    cursor += 1
                }
                redraw()
            }
        }
    }

    private func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = read(STDIN_FILENO, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
