/// Strings that recur in almost every event (quantity ids, unit symbols, event types), matched by
/// their UTF-8 bytes so that decoding reuses one shared `String` instead of validating and
/// allocating a new one each time.
///
/// Strings of at most 16 bytes are keyed by their length and their bytes packed into two words
/// (``ShortKey``), so that a lookup is a few word comparisons; longer ones (event types) are
/// compared byte for byte. The tables are built once and never freed, so that lookups neither
/// retain nor release anything.
enum KnownStrings {
    /// A string of at most 16 UTF-8 bytes as its length and two little-endian words (zero padded).
    struct ShortKey: Equatable {
        var length: Int
        var low: UInt64
        var high: UInt64

        @inline(__always)
        init(length: Int, low: UInt64, high: UInt64) {
            self.length = length
            self.low = low
            self.high = high
        }

        /// The key of `bytes`; `bytes.count` must be at most 16.
        @inline(__always)
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            let count = bytes.count
            length = count
            low = 0
            high = 0
            guard let base = bytes.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            if count >= 8 {
                low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
                if count > 8 {
                    // The last eight bytes, shifted so that byte 8 lands in the low byte.
                    let tail = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
                    high = tail &>> UInt64(8 * (16 - count))
                }
            } else if count >= 4 {
                let head = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
                let tail = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
                low = head | (tail &>> UInt64(8 * (8 - count))) &<< 32
            } else if count > 0 {
                // 1…3 bytes: the first, middle and last (the same byte twice or thrice when shorter).
                let middle = count &>> 1
                low = UInt64(base[0]) | UInt64(base[middle]) &<< UInt64(8 &* middle)
                    | UInt64(base[count &- 1]) &<< UInt64(8 &* (count &- 1))
            }
        }
    }

    /// Open-addressing hash table of the short strings (power-of-two size, at most half full; an
    /// empty slot has length -1), and the long strings with their UTF-8. Keys and texts are kept
    /// apart so that probing copies no `String`.
    struct Tables {
        let shortKeys: UnsafeMutablePointer<ShortKey>
        let shortTexts: UnsafeMutablePointer<String>
        let mask: Int
        let longBytes: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
        let longTexts: UnsafeMutablePointer<String>
        let longCount: Int
    }

    /// The tables; fetch them once (``lookup(_:in:)``) when looking several strings up in a row, as
    /// each access checks the lazy initialisation.
    nonisolated(unsafe) static let tables: Tables = {
        var texts = Set<String>()
        for quantity in QuantityRegistry.all { texts.insert(quantity.id) }
        for unit in MeasurementUnit.allCases { texts.insert(unit.symbol) }
        for type in EventType.all { texts.insert(type) }
        var shortTexts: [String] = []
        var longTexts: [String] = []
        for text in texts.sorted() {
            if text.utf8.count <= 16 { shortTexts.append(text) } else { longTexts.append(text) }
        }
        var size = 16
        while size < shortTexts.count * 2 { size *= 2 }
        let keys = UnsafeMutablePointer<ShortKey>.allocate(capacity: size)
        keys.initialize(repeating: ShortKey(length: -1, low: 0, high: 0), count: size)
        let values = UnsafeMutablePointer<String>.allocate(capacity: size)
        values.initialize(repeating: "", count: size)
        for text in shortTexts {
            let key = Array(text.utf8).withUnsafeBufferPointer { ShortKey($0) }
            var slot = slot(of: key, mask: size - 1)
            while keys[slot].length >= 0 { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            values[slot] = text
        }
        let longBytes = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: max(1, longTexts.count))
        let longValues = UnsafeMutablePointer<String>.allocate(capacity: max(1, longTexts.count))
        for (index, text) in longTexts.enumerated() {
            let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
            _ = bytes.initialize(from: text.utf8)
            (longBytes + index).initialize(to: UnsafeBufferPointer(bytes))
            (longValues + index).initialize(to: text)
        }
        return Tables(
            shortKeys: keys, shortTexts: values, mask: size - 1,
            longBytes: longBytes, longTexts: longValues, longCount: longTexts.count
        )
    }()

    @inline(__always)
    private static func slot(of key: ShortKey, mask: Int) -> Int {
        var hash = key.low &* 0x9E37_79B9_7F4A_7C15 ^ key.high &* 0xC2B2_AE3D_27D4_EB4F ^ UInt64(bitPattern: Int64(key.length))
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash) & mask
    }

    /// The shared string spelled by `bytes`, if it is a known one.
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        lookup(bytes, in: tables)
    }

    /// ``lookup(_:)`` in tables fetched beforehand (from ``tables``).
    @inline(__always)
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, in tables: Tables) -> String? {
        if bytes.count <= 16 {
            let key = ShortKey(bytes)
            var slot = slot(of: key, mask: tables.mask)
            while true {
                let candidate = tables.shortKeys[slot]
                if candidate == key { return tables.shortTexts[slot] }
                if candidate.length < 0 { return nil }
                slot = (slot + 1) & tables.mask
            }
        }
        var index = 0
        while index < tables.longCount {
            if memoryEqual(tables.longBytes[index], bytes) { return tables.longTexts[index] }
            index += 1
        }
        return nil
    }

    /// The shared string spelled by `bytes`, if it is a known one.
    static func lookup(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { lookup($0) }
    }

    /// Whether two buffers of the same length hold the same bytes.
    @inline(__always)
    static func memoryEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = lhs.count
        guard count == rhs.count else { return false }
        guard count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        let l = UnsafeRawPointer(left)
        let r = UnsafeRawPointer(right)
        var index = 0
        while index + 8 <= count {
            if l.loadUnaligned(fromByteOffset: index, as: UInt64.self) != r.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < count {
            if left[index] != right[index] { return false }
            index += 1
        }
        return true
    }
}
