/// Primitives for reading JSON in one exact, known layout (no whitespace, members in a fixed order),
/// as this module's encoders write it: each one either matches at the current position and moves past
/// what it read, or returns `nil`/`false`, after which the caller gives up on the layout and reads the
/// input with the general methods (or the reference decoder).
extension JSONScanner {
    /// Consumes `text` when the bytes at the position are exactly it (no whitespace skipped).
    @inline(__always)
    mutating func layoutLiteral(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard let base = bytes.baseAddress, count <= bytes.count - position else { return false }
        // Bounds: `count` bytes from `position` are inside `bytes` (checked above).
        let actual = UnsafeRawPointer(base + position)
        let expected = UnsafeRawPointer(text.utf8Start)
        var offset = 0
        while offset + 8 <= count {
            guard actual.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                == expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        if offset + 4 <= count {
            guard actual.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                == expected.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            else { return false }
            offset += 4
        }
        while offset < count {
            guard actual.load(fromByteOffset: offset, as: UInt8.self) == expected.load(fromByteOffset: offset, as: UInt8.self)
            else { return false }
            offset += 1
        }
        position += count
        return true
    }

    /// The bytes between the quotes of a string token at the position that has no escapes and no
    /// control characters; `nil` otherwise (nothing is consumed then).
    @inline(__always)
    mutating func layoutStringBytes() -> UnsafeBufferPointer<UInt8>? {
        let count = bytes.count
        guard position < count, bytes[position] == 0x22, let base = bytes.baseAddress else { return nil }
        let start = position + 1
        var index = start
        // Eight bytes at a time while eight remain (reads stay inside `bytes`): the first quote,
        // backslash or control byte ends the run; only a quote ends the string here.
        while index + 8 <= count {
            let mask = JSONStringBytes.specialMask(JSONStringBytes.word(UnsafeRawPointer(base), index))
            if mask != 0 {
                index += JSONStringBytes.firstSpecial(mask)
                guard bytes[index] == 0x22 else { return nil }
                position = index + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x22 {
                position = index + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
            if byte == 0x5C || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// A string token without escapes at the position, taken from `interner`.
    @inline(__always)
    mutating func layoutString(interning interner: inout StringInterner) -> String? {
        guard let raw = layoutStringBytes() else { return nil }
        return interner.string(raw)
    }

    /// A number token at the position. The common short decimal (`-`? digits, `.` digits, at most
    /// 15 digits in all, no exponent) is read with pointer arithmetic and gives exactly what
    /// ``number()`` gives (the same digits divided by the same exact power of ten); anything else is
    /// left to ``number()`` from the same position.
    @inline(__always)
    mutating func layoutNumber() -> Double? {
        let end = bytes.count
        guard let base = bytes.baseAddress, position < end else { return number() }
        var index = position
        let negative = base[index] == 0x2D
        if negative { index += 1 }
        let digitsStart = index
        guard index < end, base[index] &- 0x30 <= 9 else { return number() }
        var mantissa = UInt64(base[index] &- 0x30)
        index += 1
        if mantissa != 0 {
            while index < end {
                let digit = base[index] &- 0x30
                if digit > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index += 1
            }
        } else if index < end, base[index] &- 0x30 <= 9 {
            return number()  // a leading zero
        }
        var digitCount = index - digitsStart
        var fractionDigits = 0
        if index < end, base[index] == 0x2E {
            index += 1
            let fractionStart = index
            while index < end {
                let digit = base[index] &- 0x30
                if digit > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index += 1
            }
            fractionDigits = index - fractionStart
            digitCount &+= fractionDigits
            if fractionDigits == 0 { return number() }  // `.` without digits
        }
        // At most 15 digits in all (so no overflow, and `number()`'s fast path applies), no exponent;
        // anything else: the general reader.
        guard digitCount <= 15, index == end || base[index] | 0x20 != 0x65 else { return number() }
        position = index
        let magnitude = Double(mantissa) / Self.exactPowerOfTen(fractionDigits)
        return negative ? -magnitude : magnitude
    }

    /// 10^exponent for 0 ≤ exponent ≤ 15 (all exact as `Double`).
    @inline(__always)
    private static func exactPowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }
}
