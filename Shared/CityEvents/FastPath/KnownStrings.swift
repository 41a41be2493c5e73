/// Strings that recur in almost every event (quantity ids, unit symbols, event types), matched by
/// their UTF-8 bytes so that decoding reuses one shared `String` instead of validating and
/// allocating a new one each time.
enum KnownStrings {
    private struct Entry {
        let bytes: [UInt8]
        let head: UInt64
        let text: String
    }

    /// Entries grouped by UTF-8 length (index = length).
    private static let byLength: [[Entry]] = {
        var texts = Set<String>()
        for quantity in QuantityRegistry.all { texts.insert(quantity.id) }
        for unit in MeasurementUnit.allCases { texts.insert(unit.symbol) }
        for type in EventType.all { texts.insert(type) }
        var table: [[Entry]] = Array(repeating: [], count: (texts.map(\.utf8.count).max() ?? 0) + 1)
        for text in texts {
            let bytes = Array(text.utf8)
            let head = bytes.withUnsafeBufferPointer { headWord($0) }
            table[bytes.count].append(Entry(bytes: bytes, head: head, text: text))
        }
        return table
    }()

    /// The first (up to) eight bytes as one word, for a cheap first comparison.
    @inline(__always)
    private static func headWord(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        var index = 0
        while index < 8 && index < bytes.count {
            word |= UInt64(bytes[index]) << (8 * UInt64(index))
            index += 1
        }
        return word
    }

    /// The shared string spelled by `bytes`, if it is a known one.
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let table = byLength
        guard bytes.count < table.count else { return nil }
        let candidates = table[bytes.count]
        guard !candidates.isEmpty else { return nil }
        let head = headWord(bytes)
        for candidate in candidates where candidate.head == head {
            let equal = candidate.bytes.withUnsafeBufferPointer { known in
                var index = 8
                while index < bytes.count {
                    if known[index] != bytes[index] { return false }
                    index += 1
                }
                return true
            }
            if equal { return candidate.text }
        }
        return nil
    }

    /// The shared string spelled by `bytes`, if it is a known one.
    static func lookup(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { lookup($0) }
    }
}
