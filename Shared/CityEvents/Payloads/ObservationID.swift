/// The deterministic id of an observation, derived from (datasetId, sourceId, observedAt), so that a
/// record published twice (retries, re-uploads of the same file) gets the same id and consumers can
/// de-duplicate.
///
/// Algorithm (reproducible in any language):
/// 1. `name` = UTF-8 of `datasetId`, a 0x00 byte, UTF-8 of `sourceId`, a 0x00 byte, and the UTF-8
///    of `observedAt` converted to UTC and written `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (always nine
///    fraction digits), so the same instant written with different offsets gives the same id;
/// 2. `digest` = SHA-256(`name`);
/// 3. take the first 16 bytes, set the version nibble to 8 (byte 6 = `byte6 & 0x0F | 0x80`) and the
///    RFC 9562 variant (byte 8 = `byte8 & 0x3F | 0x80`);
/// 4. write them as a lowercase UUID `8-4-4-4-12` (a UUIDv8, usable in any `uuid` column).
public enum ObservationID {
    /// The observation id for these identifying fields.
    public static func make(datasetId: String, sourceId: String, observedAt: Timestamp) -> String {
        var datasetId = datasetId, sourceId = sourceId
        return datasetId.withUTF8 { dataset in
            sourceId.withUTF8 { source in make(datasetId: dataset, sourceId: source, observedAt: observedAt) }
        }
    }

    /// ``make(datasetId:sourceId:observedAt:)`` from the UTF-8 bytes of the ids (e.g. where they lie in
    /// a request body). The name is built on the stack; ids too long for it are hashed from a copy.
    public static func make(datasetId: UnsafeBufferPointer<UInt8>, sourceId: UnsafeBufferPointer<UInt8>, observedAt: Timestamp) -> String {
        let capacity = datasetId.count + sourceId.count + 2 + canonicalInstantCapacity
        guard capacity <= 1_024 else {
            var name = Array(datasetId)
            name.append(0)
            name.append(contentsOf: sourceId)
            name.append(0)
            appendCanonicalInstant(observedAt, to: &name)
            return name.withUnsafeBytes { id(ofName: $0) }
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { name in
            var position = 0
            for byte in datasetId { name[position] = byte; position += 1 }
            name[position] = 0; position += 1
            for byte in sourceId { name[position] = byte; position += 1 }
            name[position] = 0; position += 1
            position += writeCanonicalInstant(observedAt, into: UnsafeMutableBufferPointer(rebasing: name[position...]))
            return id(ofName: UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(name)[0..<position]))
        }
    }

    /// An id's 16 bytes, as two words: hashed and compared faster than the text (e.g. to spot a
    /// record repeated within an upload).
    public struct Key: Hashable, Sendable {
        public var high: UInt64
        public var low: UInt64

        /// The key of an id in its text form (`8-4-4-4-12` hex digits, either case); `nil` for other text.
        public init?(_ id: String) {
            var text = id
            guard let words = text.withUTF8({ Self.words(ofUUID: $0) }) else { return nil }
            (high, low) = words
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(low)  // bits of a SHA-256 digest: one word is as good as both
        }

        private static func words(ofUUID text: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
            guard text.count == 36, text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
                text[23] == UInt8(ascii: "-")
            else { return nil }
            // Each hex digit's value; 0xFF marks a byte that is not one.
            @inline(__always) func nibble(_ byte: UInt8) -> UInt8 {
                let digit = byte &- UInt8(ascii: "0")
                if digit < 10 { return digit }
                let letter = (byte | 0x20) &- UInt8(ascii: "a")
                return letter < 6 ? letter + 10 : 0xFF
            }
            var high: UInt64 = 0, low: UInt64 = 0
            var invalid: UInt8 = 0
            var digits = 0
            for position in 0..<36 where position != 8 && position != 13 && position != 18 && position != 23 {
                let value = nibble(text[position])
                invalid |= value & 0xF0
                if digits < 16 { high = high << 4 | UInt64(value & 0x0F) } else { low = low << 4 | UInt64(value & 0x0F) }
                digits += 1
            }
            return invalid == 0 ? (high, low) : nil
        }
    }

    /// Steps 2–4 of the algorithm for `name`.
    private static func id(ofName name: UnsafeRawBufferPointer) -> String {
        SHA256.withDigest(of: name) { digest in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes in
                for index in 0..<16 { bytes[index] = digest[index] }
                bytes[6] = bytes[6] & 0x0F | 0x80
                bytes[8] = bytes[8] & 0x3F | 0x80
                return UUIDText.lowercase(UnsafeBufferPointer(bytes))
            }
        }
    }

    /// Room ``writeCanonicalInstant(_:into:)`` needs: RFC 3339's longest text, a point and nine digits.
    static let canonicalInstantCapacity = RFC3339.maximumLength + 10

    /// Writes ``canonicalInstant(_:)``'s bytes into `buffer` (at least ``canonicalInstantCapacity``
    /// bytes); returns how many.
    static func writeCanonicalInstant(_ observedAt: Timestamp, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(buffer.count >= canonicalInstantCapacity, "no room for the canonical instant")
        let utc = observedAt.utc
        let count = RFC3339.write(Timestamp(secondsSinceEpoch: utc.secondsSinceEpoch), into: buffer.baseAddress!) - 1  // …SS, without the Z
        buffer[count] = UInt8(ascii: ".")
        var nanos = Int(utc.nanoseconds)
        for position in stride(from: count + 9, through: count + 1, by: -1) {
            buffer[position] = UInt8(ascii: "0") + UInt8(nanos % 10)
            nanos /= 10
        }
        buffer[count + 10] = UInt8(ascii: "Z")
        return count + 11
    }

    /// `observedAt` in UTC with exactly nine fraction digits (step 1 of the algorithm).
    public static func canonicalInstant(_ observedAt: Timestamp) -> String {
        var text: [UInt8] = []
        appendCanonicalInstant(observedAt, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``canonicalInstant(_:)``'s bytes without building the string.
    static func appendCanonicalInstant(_ observedAt: Timestamp, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: canonicalInstantCapacity) { buffer in
            let count = writeCanonicalInstant(observedAt, into: buffer)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
