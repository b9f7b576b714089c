// SHA-256 against the standard's test vectors, and the spine digest's canonical form:
// independent of batch splits and of bytes behind nulls, sensitive to values, order,
// names and types.
import Testing
import TarnColumnar
import TarnFeatures

@Suite("Spine digest")
struct SpineDigestTests {
    @Test("SHA-256 of a spine changes with values, order, names and types but not with batch splits")
    func canonical() throws {
        let a = try Fixture.spine([(1, 10, 0), (2, nil, 1), (nil, 30, 1)])
        let digest = SpineDigest.digest(a)
        #expect(digest.count == 64)
        #expect(SpineDigest.digest(try RecordBatch.concat([try a.slice(0..<1), try a.slice(1..<3)])) == digest)
        #expect(SpineDigest.digest(try Fixture.spine([(1, 10, 0), (2, nil, 1), (nil, 30, 2)])) != digest)
        #expect(SpineDigest.digest(try Fixture.spine([(2, nil, 1), (1, 10, 0), (nil, 30, 1)])) != digest)
        #expect(SpineDigest.digest(try Fixture.spine([(1, 10, 0), (2, 0, 1), (nil, 30, 1)])) != digest)
        let renamed = try RecordBatch(schema: Schema([Field("uid", .int64), Field("event_time", .timestamp(.utc)), Field("label", .int64)]),
                                      columns: a.columns)
        #expect(SpineDigest.digest(renamed) != digest)
        let retyped = try RecordBatch(schema: Schema([Field("user_id", .int64), Field("event_time", .timestamp(.ntz)), Field("label", .int64)]),
                                      columns: [a.columns[0], try a.columns[1].cast(to: .timestamp(.ntz)), a.columns[2]])
        #expect(SpineDigest.digest(retyped) != digest)
    }

    @Test("bytes behind a null slot do not change the digest")
    func nullSlots() throws {
        var validity = Bitmap(repeating: true, count: 2)
        validity[1] = false
        let first = try Column(type: .int64, count: 2, validity: validity, storage: .int64([5, 6]))
        let second = try Column(type: .int64, count: 2, validity: validity, storage: .int64([5, 999]))
        let schema = Schema([Field("x", .int64)])
        #expect(SpineDigest.digest(try RecordBatch(schema: schema, columns: [first])) ==
                SpineDigest.digest(try RecordBatch(schema: schema, columns: [second])))
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(input: String, expected: String) {
        #expect(SpineDigest.sha256Hex(Array(input.utf8)) == expected)
    }

    @Test("SHA-256 of a million 'a' bytes fed in uneven pieces")
    func millionA() {
        #expect(SpineDigest.sha256Hex([UInt8](repeating: 0x61, count: 1_000_000)) ==
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
