/// A forward-only JSON tokenizer over UTF-8 bytes, used by the structured-mode envelope reader and
/// the observation fast path. Every method returns `nil`/`false` on malformed input instead of
/// trapping; `position` then points near the problem.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    @inline(__always) mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, not consumed.
    @inline(__always) mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `byte` (after whitespace) when it is next.
    @inline(__always) mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes a literal such as `null`.
    mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[position + offset] != expected[offset] { return false }
            return true
        }
        if matches { position += count }
        return matches
    }

    /// Reads an object key without escapes and returns its byte range, for matching without
    /// creating a `String`; `nil` when it is not such a key.
    mutating func rawKey() -> Range<Int>? {
        guard consume(0x22) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                return start..<(position - 1)
            }
            if byte == 0x5C || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// Reads an object key without escapes (like ``rawKey()``) packed as a
    /// ``KnownStrings/ShortKey``; a key longer than 16 bytes gets zero words, matching no constant
    /// key. `nil` when it is not such a key.
    @inline(__always)
    mutating func packedKey() -> KnownStrings.ShortKey? {
        guard let range = rawKey() else { return nil }
        if range.count > 16 { return KnownStrings.ShortKey(length: range.count, low: 0, high: 0) }
        return KnownStrings.ShortKey(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// Reads an object, calling `member` with each key packed (see ``packedKey()``) and the
    /// scanner positioned at the value, which `member` must consume; `false` when the object is
    /// malformed or `member` returns `false`.
    @inline(__always)
    mutating func object(_ member: (inout JSONScanner, KnownStrings.ShortKey) -> Bool) -> Bool {
        guard consume(0x7B) else { return false }
        if consume(0x7D) { return true }
        repeat {
            guard let key = packedKey(), consume(0x3A), member(&self, key) else { return false }
        } while consume(0x2C)
        return consume(0x7D)
    }

    /// Reads a string token, resolving escapes; `nil` when malformed or not valid UTF-8.
    mutating func string() -> String? {
        guard consume(0x22) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                let text = Self.text(UnsafeBufferPointer(rebasing: bytes[start..<position]))
                position += 1
                return text
            }
            if byte == 0x5C { return escapedString(from: start) }
            if byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// The string of the bytes between the quotes of a string token without escapes: a shared
    /// ``KnownStrings`` one when it is known; `nil` when the bytes are not valid UTF-8.
    @inline(__always)
    static func text(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        text(raw, known: KnownStrings.tables)
    }

    /// ``text(_:)`` with the ``KnownStrings`` tables fetched beforehand.
    @inline(__always)
    static func text(_ raw: UnsafeBufferPointer<UInt8>, known: KnownStrings.Tables) -> String? {
        if let known = KnownStrings.lookup(raw, in: known) { return known }
        if raw.count <= 15 && UTF8Text.isASCII(raw) {
            return String(decoding: raw, as: UTF8.self)  // small string: no allocation
        }
        return UTF8Text.decode(raw)
    }

    /// Reads a string token (not `null`) like ``string()``, taking it from `interner` when it has no
    /// escapes; `nil` when it is not a valid string.
    @inline(__always)
    mutating func string(interning interner: inout StringInterner) -> String? {
        guard peek() == 0x22 else { return nil }
        let start = position
        guard let range = rawKey() else {
            position = start
            return string()  // escapes (or malformed): the general path decides
        }
        return interner.string(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// Slow path of ``string()`` once a backslash is met.
    private mutating func escapedString(from start: Int) -> String? {
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case 0x22:
                return UTF8Text.decode(buffer)
            case 0x5C:
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: buffer.append(escape)
                case 0x62: buffer.append(0x08)
                case 0x66: buffer.append(0x0C)
                case 0x6E: buffer.append(0x0A)
                case 0x72: buffer.append(0x0D)
                case 0x74: buffer.append(0x09)
                case 0x75:
                    guard var code = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(code) {
                        guard consumeRaw(0x5C), consumeRaw(0x75), let low = hex4(), (0xDC00...0xDFFF).contains(low)
                        else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                buffer.append(byte)
            }
        }
        return nil
    }

    private mutating func consumeRaw(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Reads a number token that follows the JSON grammar exactly; `nil` otherwise.
    ///
    /// Short decimals (at most 15 significant digits, no exponent, at most 22 fraction digits) take
    /// Clinger's fast path: the digits as an exact integer divided by an exact power of ten, which
    /// one correctly rounded IEEE division turns into the same `Double` as `strtod`. Anything else
    /// goes through `Double(String)`.
    mutating func number() -> Double? {
        skipWhitespace()
        let start = position
        var negative = false
        if position < bytes.count, bytes[position] == 0x2D {
            negative = true
            position += 1
        }
        guard position < bytes.count else { return nil }
        var mantissa: UInt64 = 0
        var digitCount = 0
        var fractionDigits = 0
        if bytes[position] == 0x30 {
            position += 1
        } else if bytes[position] >= 0x31 && bytes[position] <= 0x39 {
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[position] - 0x30)
                digitCount += 1
                position += 1
            }
        } else {
            return nil
        }
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            let fractionStart = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[position] - 0x30)
                if mantissa != 0 { digitCount += 1 }
                position += 1
            }
            fractionDigits = position - fractionStart
            guard fractionDigits > 0 else { return nil }
        }
        var hasExponent = false
        if position < bytes.count, bytes[position] == 0x65 || bytes[position] == 0x45 {
            hasExponent = true
            position += 1
            if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
            guard skipDigits() > 0 else { return nil }
        }
        if !hasExponent, digitCount <= 15, fractionDigits <= 22 {
            let magnitude = Double(mantissa) / Self.powerOfTen(fractionDigits)
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// 10^exponent for 0 ≤ exponent ≤ 22, all exactly representable as `Double`.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        var base = 10.0
        var remaining = exponent
        while remaining > 0 {  // exact: every intermediate is a power of ten ≤ 10^22
            if remaining & 1 == 1 { result *= base }
            base *= base
            remaining >>= 1
        }
        return result
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
        return position - start
    }

    /// Skips one complete JSON value of any kind, returning its byte range; `nil` when malformed.
    mutating func skipValue(depth: Int = 0) -> Range<Int>? {
        guard depth < 512, let first = peek() else { return nil }
        let start = position
        switch first {
        case 0x22:
            guard string() != nil else { return nil }
        case 0x7B:
            position += 1
            if consume(0x7D) { break }
            repeat {
                guard string() != nil, consume(0x3A), skipValue(depth: depth + 1) != nil else { return nil }
            } while consume(0x2C)
            guard consume(0x7D) else { return nil }
        case 0x5B:
            position += 1
            if consume(0x5D) { break }
            repeat {
                guard skipValue(depth: depth + 1) != nil else { return nil }
            } while consume(0x2C)
            guard consume(0x5D) else { return nil }
        case 0x74:
            guard consumeLiteral("true") else { return nil }
        case 0x66:
            guard consumeLiteral("false") else { return nil }
        case 0x6E:
            guard consumeLiteral("null") else { return nil }
        default:
            guard number() != nil else { return nil }
        }
        return start..<position
    }
}
