import CityEvents
import NotificationsCore
import Testing

/// HMAC-SHA256 against the test vectors of RFC 4231 §4.
@Suite("HMAC-SHA256 (RFC 4231)")
struct HMACSHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: [UInt8]
        var data: [UInt8]
        var expected: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "test case 1", key: Array(repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
               expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(name: "test case 2 (key shorter than the output)", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
               expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(name: "test case 3", key: Array(repeating: 0xaa, count: 20), data: Array(repeating: 0xdd, count: 50),
               expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(name: "test case 4", key: Array(1...25), data: Array(repeating: 0xcd, count: 50),
               expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(name: "test case 6 (key larger than a block)", key: Array(repeating: 0xaa, count: 131),
               data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(name: "test case 7 (key and data larger than a block)", key: Array(repeating: 0xaa, count: 131),
               data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
               expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("matches the RFC 4231 vector", arguments: vectors)
    func vector(_ vector: Vector) {
        #expect(TestHex.lowercase(HMACSHA256.authenticationCode(for: vector.data, key: vector.key)) == vector.expected)
    }

    @Test("test case 5: the first 128 bits match the truncated vector")
    func truncated() {
        let code = HMACSHA256.authenticationCode(for: Array("Test With Truncation".utf8), key: Array(repeating: 0x0c, count: 20))
        #expect(TestHex.lowercase(Array(code.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test("a key longer than a block is replaced by its SHA-256 digest (RFC 2104 §2)")
    func longKeyIsHashed() {
        let message = Array("block".utf8)
        let longKey = Array(repeating: UInt8(0x61), count: 65)
        #expect(HMACSHA256.authenticationCode(for: message, key: longKey) == HMACSHA256.authenticationCode(for: message, key: SHA256.digest(longKey)))
        let blockKey = Array(repeating: UInt8(0x61), count: 64)
        #expect(HMACSHA256.authenticationCode(for: message, key: blockKey) != HMACSHA256.authenticationCode(for: message, key: SHA256.digest(blockKey)))
    }
}
