/// Reads a JSON number (RFC 8259 §6) from bytes and converts it to the `Double` that
/// `Double(String)` — ``JSONNumberGrammar/value(of:)``, what ``StrictJSONParser`` uses — gives.
///
/// The grammar is ``JSONNumberGrammar``'s. Most numbers publishers send (`12.5`, `70`, `0.031`,
/// `1e1`) have at most 19 significant digits and a small exponent: when the digits fit in 53 bits and
/// the power of ten is at most 10²², both are exact `Double`s and one multiplication or division
/// rounds correctly — the same result as `strtod` (Clinger's fast path). Anything else goes through
/// the text conversion.
enum DecimalNumber {
    /// The value and the offset just past the number starting at `start`; `nil` when the bytes there
    /// break JSON's number grammar.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: Double, end: Int)? {
        guard case .success(let end) = JSONNumberGrammar.end(of: bytes, from: start) else { return nil }
        if let value = exactValue(bytes, start..<end) { return (value, end) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return (JSONNumberGrammar.value(of: text), end)
    }

    /// The value of a grammatical number by the fast path, or `nil` when it does not apply.
    private static func exactValue(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var inFraction = false
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                break
            } else {
                let digit = UInt64(byte &- UInt8(ascii: "0"))
                if mantissa != 0 || digit != 0 {  // leading zeros are not significant
                    significantDigits += 1
                    guard significantDigits <= 19 else { return nil }  // digits beyond: only the text conversion
                    mantissa = mantissa &* 10 &+ digit
                }
                if inFraction { exponent -= 1 }
            }
            index += 1
        }
        if index < range.upperBound {  // the exponent (the grammar guarantees digits follow)
            index += 1
            let exponentNegative = bytes[index] == UInt8(ascii: "-")
            if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var written = 0
            while index < range.upperBound {
                guard written < 100_000 else { return nil }
                written = written * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            exponent += exponentNegative ? -written : written
        }
        guard mantissa <= 1 << 53, (-22...22).contains(exponent) else { return nil }
        let magnitude = exponent >= 0 ? Double(mantissa) * powersOfTen[exponent] : Double(mantissa) / powersOfTen[-exponent]
        return negative ? -magnitude : magnitude
    }

    /// 10⁰ … 10²², each exactly representable.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
