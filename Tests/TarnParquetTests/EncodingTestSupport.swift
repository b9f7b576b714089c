// Helpers shared by the encoding and codec tests: hex decoding, a seeded random
// generator for hostile-input loops, and a bytes → raw-buffer bridge.
// Test-only; never used by library code.

@testable import TarnParquet

/// Bytes from a hex string (whitespace ignored). Test fixtures only.
func encHex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x0A })
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        default: c - 0x41 + 10
        }
    }
    var index = 0
    while index + 1 < digits.count {
        bytes.append(nibble(digits[index]) << 4 | nibble(digits[index + 1]))
        index += 2
    }
    return bytes
}

/// SplitMix64: small, deterministic, good enough for fuzz loops.
struct EncSeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// Runs `body` over the bytes of `array` as a raw buffer.
func encWithRaw<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try array.withUnsafeBytes { try body($0) }
}

/// The text fixture the codec vectors were generated from (344 bytes).
let encCodecSample: [UInt8] = {
    var bytes: [UInt8] = []
    for _ in 0..<6 { bytes += Array("Tarn stores Delta tables in Parquet files. ".utf8) }
    bytes += (0..<64).map { UInt8($0) }
    bytes += Array("abcabcabcabcabcabcabcd".utf8)
    return bytes
}()

/// Compressible pseudo-text used for round trips and speed checks.
func encCompressibleBytes(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
    var generator = EncSeededGenerator(seed: seed)
    let words = ["delta", "parquet", "tarn", "lake", "table", "version", "commit", "snapshot", " ", "\n", "0123", "feature"]
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 16)
    while bytes.count < count {
        bytes += Array(words[Int.random(in: 0..<words.count, using: &generator)].utf8)
    }
    return Array(bytes.prefix(count))
}
