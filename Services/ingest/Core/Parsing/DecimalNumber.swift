/// Reads a JSON number (RFC 8259 §6) from bytes and converts it to the `Double` that
/// `Double(String)` — ``JSONNumberGrammar/value(of:)``, what ``StrictJSONParser`` uses — gives.
///
/// Most numbers publishers send (`12.5`, `70`, `0.031`, `1e1`) have at most 19 significant digits
/// and a small exponent: when the digits fit in 53 bits and the power of ten is at most 10²², both
/// are exact `Double`s and one multiplication or division rounds correctly — the same result as
/// `strtod` (Clinger's fast path). Anything else goes through the text conversion.
enum DecimalNumber {
    /// The value and the offset just past the number starting at `start`; `nil` when the bytes there
    /// break JSON's number grammar.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: Double, end: Int)? {
        var index = start
        let count = bytes.count
        let negative = index < count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        @inline(__always) func digit(at position: Int) -> UInt64? {
            guard position < count else { return nil }
            let value = bytes[position] &- UInt8(ascii: "0")
            return value < 10 ? UInt64(value) : nil
        }
        @inline(__always) func accumulate(_ value: UInt64) {
            if mantissa == 0 && value == 0 { return }  // leading zeros are not significant
            significantDigits += 1
            if significantDigits <= 19 { mantissa = mantissa &* 10 &+ value }
        }
        guard let first = digit(at: index) else { return nil }
        index += 1
        if first == 0 {
            if digit(at: index) != nil { return nil }  // no leading zeros
        } else {
            accumulate(first)
            while let next = digit(at: index) {
                accumulate(next)
                index += 1
            }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(at: index) != nil else { return nil }
            while let next = digit(at: index) {
                accumulate(next)
                exponent -= 1
                index += 1
            }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard digit(at: index) != nil else { return nil }
            var written = 0
            while let next = digit(at: index) {
                if written < 100_000 { written = written * 10 + Int(next) }  // beyond that: not a fast-path number anyway
                index += 1
            }
            exponent += exponentNegative ? -written : written
        }
        // A mantissa of up to 19 digits times a power of ten; digits beyond 19 were dropped above,
        // which only the text conversion can account for.
        if significantDigits <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
            let magnitude = exponent >= 0 ? Double(mantissa) * powersOfTen[exponent] : Double(mantissa) / powersOfTen[-exponent]
            return (negative ? -magnitude : magnitude, index)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return (JSONNumberGrammar.value(of: text), index)
    }

    /// 10⁰ … 10²², each exactly representable.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
