/// The hash of the bounded caches (``StringInterner``, ``UTF8BytesCache``).
enum ByteHash {
    /// A fast, non-cryptographic hash of `bytes` (meant for short keys): word by word,
    /// the last word overlapping the previous one. Collisions only cost a miss.
    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        if count <= 16 {
            let key = KnownStrings.ShortKey(bytes)
            hash = (hash ^ key.low) &* 0xC2B2_AE3D_27D4_EB4F
            hash = (hash ^ key.high) &* 0x1656_67B1_9E37_79F9
        } else if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var offset = 0
            while offset + 8 < count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xC2B2_AE3D_27D4_EB4F
                offset += 8
            }
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) &* 0x1656_67B1_9E37_79F9
        }
        return hash ^ (hash >> 29)
    }
}
