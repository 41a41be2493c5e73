/// JSON's number grammar (RFC 8259 §6), shared by ``StrictJSONParser`` and ``DecimalNumber``:
/// where a number that starts at an offset ends, or what is wrong with it.
enum JSONNumberGrammar {
    /// A number that breaks the grammar: where, and why.
    struct Violation: Error {
        var offset: Int
        var message: String
    }

    /// The offset just past the number starting at `start`.
    static func end(of bytes: [UInt8], from start: Int) -> Result<Int, Violation> {
        bytes.withUnsafeBufferPointer { end(of: $0, from: start) }
    }

    /// The offset just past the number starting at `start`.
    static func end(of bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<Int, Violation> {
        var index = start
        func violation(_ message: String) -> Result<Int, Violation> { .failure(Violation(offset: index, message: message)) }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return violation("a number needs digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { return violation("numbers must not have leading zeros") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return violation("a decimal point needs digits after it") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return violation("an exponent needs digits") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return .success(index)
    }

    /// The value of a number's text as both parsers read it: `Double(_:)`, which gives ±infinity for
    /// an exponent beyond a Double's range (validation then says "not a finite number").
    static func value(of text: String) -> Double {
        Double(text) ?? (text.hasPrefix("-") ? -.infinity : .infinity)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
