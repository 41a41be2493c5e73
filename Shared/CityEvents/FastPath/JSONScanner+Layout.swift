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

    /// A string token without escapes at the position (see ``text(_:)``).
    @inline(__always)
    mutating func layoutString() -> String? {
        guard let raw = layoutStringBytes() else { return nil }
        return Self.text(raw)
    }

    /// A string token without escapes at the position, taken from `interner`.
    @inline(__always)
    mutating func layoutString(interning interner: inout StringInterner) -> String? {
        guard let raw = layoutStringBytes() else { return nil }
        return interner.string(raw)
    }
}
