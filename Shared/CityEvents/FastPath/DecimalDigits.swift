/// Decimal digits written two at a time from a 200-byte table ("00", "01", …, "99"), for the number
/// and timestamp writers: one load and one store per pair instead of a division and a remainder per
/// digit.
enum DecimalDigits {
    /// The pairs "00" … "99", back to back. A literal, so that reading it needs no lazy initialisation.
    @inline(__always)
    private static var pairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// Writes the two digits of `value` (0…99) at `target`.
    @inline(__always)
    static func writePair(_ value: Int, to target: UnsafeMutablePointer<UInt8>) {
        let pair = UnsafeRawPointer(pairs.utf8Start).loadUnaligned(fromByteOffset: value &* 2, as: UInt16.self)
        UnsafeMutableRawPointer(target).storeBytes(of: pair, as: UInt16.self)
    }

    /// Writes the last `count` digits of `value` so that they end just before `end` (zero-padded on the
    /// left when `value` has fewer), and returns what is left of `value` (`value / 10^count`).
    @inline(__always)
    static func writeDigits(_ value: UInt64, count: Int, endingAt end: UnsafeMutablePointer<UInt8>) -> UInt64 {
        var rest = value
        var position = end
        var remaining = count
        while remaining >= 2 {
            let quotient = rest / 100
            position -= 2
            writePair(Int(truncatingIfNeeded: rest &- quotient &* 100), to: position)
            rest = quotient
            remaining -= 2
        }
        if remaining == 1 {
            let quotient = rest / 10
            position -= 1
            position.pointee = UInt8(truncatingIfNeeded: 0x30 &+ (rest &- quotient &* 10))
            rest = quotient
        }
        return rest
    }
}
