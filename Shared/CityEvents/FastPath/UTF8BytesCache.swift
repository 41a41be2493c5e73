/// A bounded cache of the UTF-8 bytes of strings that repeat between records (`ce_source`,
/// `ce_subject`, the Kafka key), so that encoding a repeated value shares one array instead of
/// allocating and copying a new one.
///
/// Direct-mapped like ``StringInterner``: `capacity` slots (a power of two), each holding the bytes of
/// one string of at most ``StringInterner/maximumLength`` bytes, a new string replacing the one in its
/// slot; memory is fixed when the cache is made. Strings are matched by their bytes, never by `==`
/// (which compares canonically equivalent, differently encoded text as equal).
struct UTF8BytesCache: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        var bytes: [UInt8]
    }

    private var slots: [Slot]
    private let mask: Int

    /// A cache with at least `capacity` slots (rounded up to a power of two); `0` caches nothing and
    /// allocates nothing.
    init(capacity: Int) {
        guard capacity > 0 else {
            slots = []
            mask = -1
            return
        }
        var size = 1
        while size < min(capacity, 1 << 16) { size <<= 1 }
        slots = Array(repeating: Slot(hash: 0, bytes: []), count: size)
        mask = size - 1
    }

    /// The UTF-8 bytes of `text`: the shared array when the same bytes were asked for before.
    @inline(__always)
    mutating func bytes(_ text: String) -> [UInt8] {
        guard mask >= 0 else { return UTF8Text.bytes(text) }
        let cached: [UInt8]?? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            guard utf8.count <= StringInterner.maximumLength else { return nil }
            let hash = ByteHash.of(utf8)
            let index = Int(truncatingIfNeeded: hash) & mask  // ≤ mask < slots.count
            if slots[index].hash == hash, slots[index].bytes.withUnsafeBufferPointer({ KnownStrings.memoryEqual($0, utf8) }) {
                return slots[index].bytes
            }
            let bytes = Array(utf8)
            slots[index] = Slot(hash: hash, bytes: bytes)
            return bytes
        }
        return (cached ?? nil) ?? UTF8Text.bytes(text)
    }
}
