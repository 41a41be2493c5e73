import Foundation

/// A minimal JSON byte writer over a pre-sized buffer, for the fast paths.
///
/// Produces the same bytes as this module's `JSONEncoder` configuration (sorted keys, slashes not
/// escaped, shortest round-trip numbers) for the values the fast paths write; callers write keys in
/// sorted order themselves. Use ``JSONWriter/write(maximumBytes:_:)`` or
/// ``JSONWriter/write(bound:_:)``: the caller states an upper bound of the output size (see the
/// `…Bound` helpers), so that writing needs no growth; a write that would not fit is skipped and
/// marks the writer ``overflowed`` (never memory corruption).
struct JSONWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0
    /// Whether a write did not fit (and was skipped): the output is incomplete.
    private(set) var overflowed = false

    /// The size of the stack buffer ``write(bound:_:)`` tries first: the largest that
    /// `withUnsafeTemporaryAllocation` always places on the stack.
    static let stackBytes = 1024

    private init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Runs `body` with a writer of at most `maximumBytes` bytes and returns what it wrote. Writing
    /// past the bound is a programming error caught by a precondition, never memory corruption.
    static func write<Failure: Error>(
        maximumBytes: Int,
        _ body: (inout JSONWriter) throws(Failure) -> Void
    ) throws(Failure) -> [UInt8] {
        // Written into a scratch buffer and copied once into the result: creating the array
        // directly (`init(unsafeUninitializedCapacity:)`, `init(repeating:count:)`) goes through an
        // unspecialised standard-library path that looks the array's metadata up at run time on
        // every call, which costs more than a malloc and a copy; `Array(UnsafeBufferPointer)` is
        // specialised.
        // The scratch buffer comes from `malloc`: `UnsafeMutablePointer.allocate` goes through
        // `swift_slowAlloc` to `posix_memalign` here, several times the cost of `malloc`.
        let capacity = max(1, maximumBytes)
        guard let raw = malloc(capacity) else { fatalError("JSONWriter: out of memory") }
        defer { free(raw) }
        let scratch = raw.bindMemory(to: UInt8.self, capacity: capacity)
        var writer = JSONWriter(base: scratch, capacity: capacity)
        try body(&writer)
        precondition(!writer.overflowed, "JSONWriter bound too small")
        return Array(UnsafeBufferPointer(start: scratch, count: writer.count))
    }

    /// Like ``write(maximumBytes:_:)``, but writes into a stack buffer of ``stackBytes`` first, so
    /// that the common, small output needs neither its bound computed nor a scratch allocation; when
    /// it does not fit, `body` runs again with a buffer of `bound()` bytes. `body` must therefore write
    /// the same bytes each time it is called (it only writes).
    static func write<Failure: Error>(
        bound: () -> Int,
        _ body: (inout JSONWriter) throws(Failure) -> Void
    ) throws(Failure) -> [UInt8] {
        let small = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackBytes) {
            buffer throws(Failure) -> [UInt8]? in
            guard let scratch = buffer.baseAddress else { return nil }
            var writer = JSONWriter(base: scratch, capacity: buffer.count)
            try body(&writer)
            return writer.overflowed ? nil : Array(UnsafeBufferPointer(start: scratch, count: writer.count))
        }
        if let small { return small }
        return try write(maximumBytes: bound(), body)
    }

    /// Bytes needed at most for a string value (every byte escaped as `\u00XX`, plus quotes).
    static func stringBound(_ text: String) -> Int { text.utf8.count * 6 + 2 }
    /// Bytes needed at most for a number.
    static let numberBound = 32
    /// Bytes needed at most for a quoted RFC 3339 timestamp.
    static let timestampBound = RFC3339.maximumLength + 2

    /// Whether `extra` more bytes fit; marks the writer ``overflowed`` when they do not.
    @inline(__always) private mutating func reserve(_ extra: Int) -> Bool {
        if extra <= capacity &- count { return true }
        overflowed = true
        return false
    }

    @inline(__always) mutating func raw(_ byte: UInt8) {
        guard reserve(1) else { return }
        base[count] = byte
        count += 1
    }

    /// Writes a literal. Its length is a constant once inlined, so the copy is a few word moves
    /// rather than a call to `memmove`.
    @inline(__always) mutating func raw(_ text: StaticString) {
        guard text.hasPointerRepresentation else { return text.withUTF8Buffer { raw($0) } }
        let length = text.utf8CodeUnitCount
        guard reserve(length) else { return }
        let from = UnsafeRawPointer(text.utf8Start)
        let to = UnsafeMutableRawPointer(base + count)
        var offset = 0
        while offset + 8 <= length {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        if offset + 4 <= length {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt32.self), toByteOffset: offset, as: UInt32.self)
            offset += 4
        }
        while offset < length {
            to.storeBytes(of: from.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
        count += length
    }

    @inline(__always) mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty, reserve(bytes.count) else { return }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { raw($0) }
    }

    /// Writes `"key":` for a key that needs no escaping.
    @inline(__always) mutating func key(_ name: StaticString) {
        raw(0x22)
        raw(name)
        raw(0x22)
        raw(0x3A)
    }

    /// Writes `,"key":"value"` (without the comma when `first`).
    @inline(__always) mutating func member(_ name: StaticString, string value: String, first: Bool = false) {
        if !first { raw(0x2C) }
        key(name)
        string(value)
    }

    /// Writes `,"key":number` (without the comma when `first`).
    @inline(__always) mutating func member(_ name: StaticString, number value: Double, first: Bool = false) {
        if !first { raw(0x2C) }
        key(name)
        number(value)
    }

    /// Writes a JSON string with the escapes `JSONEncoder` uses.
    @inline(__always)
    mutating func string(_ value: String) {
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            string(utf8: utf8)
        }
        if written == nil {
            var text = value
            text.withUTF8 { string(utf8: $0) }
        }
    }

    /// Writes UTF-8 bytes as a JSON string with the escapes `JSONEncoder` uses.
    mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        guard reserve(count + 2) else { return }
        guard let source = utf8.baseAddress, count > 0 else {
            base[self.count] = 0x22
            base[self.count + 1] = 0x22
            self.count += 2
            return
        }
        if copyPlain(source, count) {
            base[self.count] = 0x22
            base[self.count + 1 + count] = 0x22
            self.count += count + 2
            return
        }
        escaped(utf8)
    }

    /// Copies `count` (> 0) bytes after the opening quote when none needs escaping, word by word: the
    /// last word overlaps the previous one, so that nothing outside the source or the reserved
    /// `count + 2` bytes is read or written. `false` (nothing committed) when one needs escaping.
    @inline(__always)
    private func copyPlain(_ source: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(base + self.count + 1)
        if count >= 8 {
            var index = 0
            while index + 8 < count {
                let word = JSONStringBytes.word(from, index)
                guard JSONStringBytes.specialMask(word) == 0 else { return false }
                to.storeBytes(of: UInt64(littleEndian: word), toByteOffset: index, as: UInt64.self)
                index += 8
            }
            let last = JSONStringBytes.word(from, count - 8)
            guard JSONStringBytes.specialMask(last) == 0 else { return false }
            to.storeBytes(of: UInt64(littleEndian: last), toByteOffset: count - 8, as: UInt64.self)
            return true
        }
        if count >= 4 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            let both = UInt64(UInt32(littleEndian: head)) | UInt64(UInt32(littleEndian: tail)) << 32
            guard JSONStringBytes.specialMask(both) == 0 else { return false }
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
            return true
        }
        var index = 0
        while index < count {
            let byte = source[index]
            guard byte >= 0x20, byte != 0x22, byte != 0x5C else { return false }
            to.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
            index += 1
        }
        return true
    }

    /// ``string(utf8:)`` for text with at least one byte to escape.
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        var index = 0
        raw(0x22)
        var runStart = 0
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                index += 1
                continue
            }
            raw(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            switch byte {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                raw(Self.hexDigit(byte >> 4))
                raw(Self.hexDigit(byte & 0xF))
            }
            index += 1
            runStart = index
        }
        raw(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        raw(0x22)
    }

    /// Writes a finite number in Swift's shortest round-trip form, without a trailing `.0`.
    ///
    /// Fast path for the common case, a decimal with at most six fraction digits in
    /// [0.0001, 10^15): the smallest `k` for which `round(value·10^k) / 10^k == value` gives the
    /// shortest digits that read back exactly (the same digits Swift's `description` picks). Other
    /// values use `description`.
    mutating func number(_ value: Double) {
        let magnitude = abs(value)
        if magnitude >= 0.0001, magnitude < 1e15 {
            var scale = 1.0
            for fractionDigits in 0...6 {
                // `(magnitude * scale).rounded()` without a libm call: truncate, then round half away
                // from zero (the subtraction is exact below 2^53, where this is used).
                let product = magnitude * scale
                if product < 9_007_199_254_740_992 {
                    // Through `Int64`: one instruction, where a conversion to `UInt64` is a branchy sequence.
                    var rounded = UInt64(Int64(product))
                    if product - Double(rounded) >= 0.5 { rounded += 1 }
                    let scaled = Double(rounded)
                    if scaled / scale == magnitude, scaled < 9_007_199_254_740_992 {
                        if value < 0 { raw(0x2D) }
                        writeDecimal(rounded, fractionDigits: fractionDigits)
                        return
                    }
                }
                scale *= 10
            }
        }
        var text = value.description
        text.withUTF8 { utf8 in
            let length = utf8.count
            if length >= 2, utf8[length - 2] == 0x2E, utf8[length - 1] == 0x30 {
                raw(UnsafeBufferPointer(rebasing: utf8[0..<(length - 2)]))
            } else {
                raw(utf8)
            }
        }
    }

    /// Writes `digits` with a decimal point `fractionDigits` places from the right; `digits` is
    /// below 2^53 (callers check), so it has at most 16 digits.
    private mutating func writeDecimal(_ digits: UInt64, fractionDigits: Int) {
        var digitCount = 1
        var threshold: UInt64 = 10
        while digits >= threshold {  // no overflow: digits < 2^53 < 10^16
            digitCount += 1
            threshold &*= 10
        }
        let integerDigits = max(1, digitCount - fractionDigits)
        let length = integerDigits + (fractionDigits > 0 ? fractionDigits + 1 : 0)
        guard reserve(length) else { return }
        let end = base + count + length
        var rest = digits
        if fractionDigits > 0 {
            rest = DecimalDigits.writeDigits(rest, count: fractionDigits, endingAt: end)
            (end - fractionDigits - 1).pointee = 0x2E
        }
        _ = DecimalDigits.writeDigits(rest, count: integerDigits, endingAt: base + count + integerDigits)
        count += length
    }

    /// Writes a quoted RFC 3339 timestamp.
    mutating func timestamp(_ value: Timestamp) {
        guard reserve(RFC3339.maximumLength + 2) else { return }
        raw(0x22)
        count += RFC3339.write(value, into: base + count)
        raw(0x22)
    }

    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
