/// A minimal JSON byte writer over a pre-sized buffer, for the fast paths.
///
/// Produces the same bytes as this module's `JSONEncoder` configuration (sorted keys, slashes not
/// escaped, shortest round-trip numbers) for the values the fast paths write; callers write keys in
/// sorted order themselves. Use ``JSONWriter/write(maximumBytes:_:)``: the caller states an upper
/// bound of the output size (see the `…Bound` helpers), so that writing needs no growth checks.
struct JSONWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

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
        var failure: Failure?
        let bytes = [UInt8](unsafeUninitializedCapacity: max(1, maximumBytes)) { buffer, initialized in
            guard let start = buffer.baseAddress else {
                initialized = 0
                return
            }
            var writer = JSONWriter(base: start, capacity: buffer.count)
            do throws(Failure) {
                try body(&writer)
            } catch {
                failure = error
            }
            initialized = writer.count
        }
        if let failure { throw failure }
        return bytes
    }

    /// Bytes needed at most for a string value (every byte escaped as `\u00XX`, plus quotes).
    static func stringBound(_ text: String) -> Int { text.utf8.count * 6 + 2 }
    /// Bytes needed at most for a number.
    static let numberBound = 32
    /// Bytes needed at most for a quoted RFC 3339 timestamp.
    static let timestampBound = RFC3339.maximumLength + 2

    @inline(__always) private mutating func reserve(_ extra: Int) {
        precondition(count + extra <= capacity, "JSONWriter bound too small")
    }

    @inline(__always) mutating func raw(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { raw($0) }
    }

    @inline(__always) mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
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
    mutating func string(_ value: String) {
        raw(0x22)
        var text = value
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
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
        }
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
                let scaled = (magnitude * scale).rounded()
                if scaled / scale == magnitude, scaled < 9_007_199_254_740_992 {
                    if value < 0 { raw(0x2D) }
                    writeDecimal(UInt64(scaled), fractionDigits: fractionDigits)
                    return
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

    /// Writes `digits` with a decimal point `fractionDigits` places from the right.
    private mutating func writeDecimal(_ digits: UInt64, fractionDigits: Int) {
        var digitCount = 1
        var probe = digits / 10
        while probe > 0 {
            digitCount += 1
            probe /= 10
        }
        let integerDigits = max(1, digitCount - fractionDigits)
        let length = integerDigits + (fractionDigits > 0 ? fractionDigits + 1 : 0)
        reserve(length)
        var position = count + length
        var rest = digits
        var written = 0
        while position > count {
            if fractionDigits > 0 && written == fractionDigits {
                position -= 1
                base[position] = 0x2E
                written += 1  // the point is not a digit; keeps the test above false from here on
                continue
            }
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
            rest /= 10
            written += 1
        }
        count += length
    }

    /// Writes a quoted RFC 3339 timestamp.
    mutating func timestamp(_ value: Timestamp) {
        raw(0x22)
        reserve(RFC3339.maximumLength)
        count += RFC3339.write(value, into: base + count)
        raw(0x22)
    }

    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
