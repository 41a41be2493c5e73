/// A bounded cache of the strings that repeat from one record to the next (dataset, agency and
/// source ids, `ce_source`, `ce_subject`), so that decoding a repeated value costs a hash, a byte
/// comparison and a retain instead of UTF-8 validation, an allocation and a copy.
///
/// Direct-mapped: `capacity` slots (a power of two), each holding one string of at most
/// ``maximumLength`` UTF-8 bytes; a new string replaces whatever occupied its slot. Memory is
/// therefore fixed when the interner is created — at most `capacity` × (``maximumLength`` bytes + one
/// string) — whatever the input, and colliding or adversarial inputs only cost misses. A value type:
/// each consumer owns its own (see ``EventDecoder``; ingest keeps one per upload), so no locking is
/// needed.
public struct StringInterner: Sendable {
    /// Longer strings are never cached (they are rarely repeated keys).
    public static let maximumLength = 64

    /// One cached string: its length, its hash and the string; its bytes are in `arena` at
    /// `slot * maximumLength`. An empty slot has length -1.
    private struct Slot: Sendable {
        var length: Int
        var hash: UInt64
        var text: String
    }

    private var slots: [Slot]
    private var arena: [UInt8]
    private let mask: Int

    /// An interner with at least `capacity` slots (rounded up to a power of two); `0` caches nothing
    /// and allocates nothing.
    public init(capacity: Int) {
        guard capacity > 0 else {
            slots = []
            arena = []
            mask = -1
            return
        }
        var size = 1
        while size < min(capacity, 1 << 16) { size <<= 1 }
        slots = Array(repeating: Slot(length: -1, hash: 0, text: ""), count: size)
        arena = Array(repeating: 0, count: size * Self.maximumLength)
        mask = size - 1
    }

    /// The string spelled by `bytes` (a shared one when it was seen before), or `nil` when the bytes
    /// are not valid UTF-8.
    @inline(__always)
    public mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        guard mask >= 0, count <= Self.maximumLength else { return UTF8Text.decode(bytes) }
        let hash = ByteHash.of(bytes)
        let index = Int(truncatingIfNeeded: hash) & mask
        // Bounds: `index` ≤ mask < slots.count, and the arena has `maximumLength` bytes per slot,
        // `count` ≤ maximumLength of which are compared or written.
        let hit = slots.withUnsafeBufferPointer { slots in
            slots[index].length == count && slots[index].hash == hash
        } && arena.withUnsafeBufferPointer { arena in
            KnownStrings.memoryEqual(UnsafeBufferPointer(rebasing: arena[(index * Self.maximumLength)...].prefix(count)), bytes)
        }
        if hit { return slots[index].text }
        guard let text = UTF8Text.decode(bytes) else { return nil }
        arena.withUnsafeMutableBufferPointer { arena in
            guard let source = bytes.baseAddress, count > 0, let target = arena.baseAddress else { return }
            (target + index * Self.maximumLength).update(from: source, count: count)
        }
        slots[index] = Slot(length: count, hash: hash, text: text)
        return text
    }

    /// The string spelled by `bytes` (see ``string(_:)-(UnsafeBufferPointer<UInt8>)``).
    @inline(__always)
    public mutating func string(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { string($0) }
    }
}
