/// Comparison whose running time depends only on the lengths of its inputs, not on where they differ,
/// so that a receiver comparing signatures does not leak how many leading bytes were right.
enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes. Lengths are not secret (every HMAC-SHA256 is 32 bytes).
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
