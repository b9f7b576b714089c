// SHA256Digest: one-shot SHA-256 (over SHA256Hasher) for salted API-token hashes (Foundation on
// Linux has none). Pure and allocation-light; must never be used where a password hash
// (slow, memory-hard) is needed — tokens are long random secrets, so a fast hash fits.

/// SHA-256 of bytes.
public enum SHA256Digest {
    /// The 32-byte digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(message)
        return hasher.finalize()
    }

    /// The digest as lowercase hex.
    public static func hex(_ message: [UInt8]) -> String { Hex.encode(hash(message)) }
}

/// Lowercase hex of bytes, and back.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Random bytes from the system's cryptographic generator (getrandom on Linux).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Constant-time equality of two strings' bytes (no early exit on the first difference).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
