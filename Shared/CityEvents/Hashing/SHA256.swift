/// SHA-256 (FIPS 180-4) in pure Swift, for deterministic ids; Foundation has no hasher on Linux.
/// Not constant-time: do not use it to compare secrets.
public enum SHA256 {
    /// The 32-byte digest of `message`.
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { message in
            [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
                withDigest(of: message) { digest.baseAddress!.initialize(from: $0.baseAddress!, count: 32) }
                count = 32
            }
        }
    }

    /// Calls `body` with the 32-byte digest of `message`, computed on the stack (no allocation): for
    /// ids derived per record.
    static func withDigest<Result>(of message: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Words 0–7: the state; 8–71: the message schedule; then 64 bytes of block (as 16 words).
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8 + 64 + 16) { words in
            let state = UnsafeMutableBufferPointer(rebasing: words[0..<8])
            let schedule = UnsafeMutableBufferPointer(rebasing: words[8..<72])
            let block = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: words[72..<88]))
            for index in 0..<8 { state[index] = initialState[index] }
            let count = message.count
            var offset = 0
            while offset + 64 <= count {
                block.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[offset..<(offset + 64)]))
                compress(state, schedule, block)
                offset += 64
            }
            // The tail, the 0x80 marker, zeros and the bit length (in a second block when it does not fit).
            let tail = count - offset
            block.initializeMemory(as: UInt8.self, repeating: 0)
            if tail > 0 { block.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[offset..<count])) }
            block[tail] = 0x80
            if tail >= 56 {
                compress(state, schedule, block)
                block.initializeMemory(as: UInt8.self, repeating: 0)
            }
            let bitLength = UInt64(count) &* 8
            for index in 0..<8 { block[56 + index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * index)) }
            compress(state, schedule, block)
            // The digest: each state word big-endian, written over the block.
            for index in 0..<8 { block.storeBytes(of: state[index].bigEndian, toByteOffset: index * 4, as: UInt32.self) }
            return body(UnsafeBufferPointer(start: block.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 32))
        }
    }

    /// The compression function over one 64-byte block.
    @inline(__always)
    private static func compress(
        _ state: UnsafeMutableBufferPointer<UInt32>, _ schedule: UnsafeMutableBufferPointer<UInt32>, _ block: UnsafeMutableRawBufferPointer
    ) {
        for index in 0..<16 {
            schedule[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
        for index in 16..<64 {
            let s0 = rotate(schedule[index - 15], 7) ^ rotate(schedule[index - 15], 18) ^ (schedule[index - 15] >> 3)
            let s1 = rotate(schedule[index - 2], 17) ^ rotate(schedule[index - 2], 19) ^ (schedule[index - 2] >> 10)
            schedule[index] = schedule[index - 16] &+ s0 &+ schedule[index - 7] &+ s1
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        roundConstants.withUnsafeBufferPointer { constants in
            for index in 0..<64 {
                let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                let choice = (e & f) ^ (~e & g)
                let temp1 = h &+ sum1 &+ choice &+ constants[index] &+ schedule[index]
                let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let temp2 = sum0 &+ majority
                h = g; g = f; f = e; e = d &+ temp1
                d = c; c = b; b = a; a = temp1 &+ temp2
            }
        }
        state[0] = state[0] &+ a; state[1] = state[1] &+ b; state[2] = state[2] &+ c; state[3] = state[3] &+ d
        state[4] = state[4] &+ e; state[5] = state[5] &+ f; state[6] = state[6] &+ g; state[7] = state[7] &+ h
    }

    private static let initialState: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]

    /// The digest of `message` as 64 lowercase hex digits.
    public static func hexDigest(_ message: [UInt8]) -> String {
        Hex.lowercase(digest(message))
    }

    @inline(__always) private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        value >> count | value << (32 - count)
    }

    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}

/// Hexadecimal text of bytes.
enum Hex {
    static func lowercase(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
