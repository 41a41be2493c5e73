/// Eight bytes of a JSON string at a time: which of them end the plain run of a string — a quote,
/// a backslash or a control character (< 0x20). Bytes ≥ 0x80 (multi-byte UTF-8) never do.
enum JSONStringBytes {
    /// A word whose byte `i` has its high bit set when byte `i` of `word` (little-endian, so byte 0
    /// is the first in memory) is `"`, `\` or < 0x20 — exactly for the first such byte; bytes after
    /// it may be marked spuriously (borrows), so only the lowest mark is meaningful. Zero when none is.
    @inline(__always)
    static func specialMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let control = (word &- ones &* 0x20) & ~word & highs
        return control | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
    }

    /// The offset (0…7) of the first special byte of a word whose ``specialMask(_:)`` is `mask` ≠ 0.
    @inline(__always)
    static func firstSpecial(_ mask: UInt64) -> Int {
        mask.trailingZeroBitCount >> 3
    }

    /// Loads eight bytes at `offset` as a little-endian word (byte 0 first in memory).
    @inline(__always)
    static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
