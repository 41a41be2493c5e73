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
        var name: [UInt8] = []
        name.reserveCapacity(datasetId.utf8.count + sourceId.utf8.count + 32)
        name.append(contentsOf: datasetId.utf8)
        name.append(0)
        name.append(contentsOf: sourceId.utf8)
        name.append(0)
        appendCanonicalInstant(observedAt, to: &name)
        var bytes = SHA256.digest(name)
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUIDText.lowercase(bytes)
    }

    /// `observedAt` in UTC with exactly nine fraction digits (step 1 of the algorithm).
    public static func canonicalInstant(_ observedAt: Timestamp) -> String {
        var text: [UInt8] = []
        appendCanonicalInstant(observedAt, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``canonicalInstant(_:)``'s bytes without building the string.
    static func appendCanonicalInstant(_ observedAt: Timestamp, to bytes: inout [UInt8]) {
        let utc = observedAt.utc
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: RFC3339.maximumLength) { buffer in
            let count = RFC3339.write(Timestamp(secondsSinceEpoch: utc.secondsSinceEpoch), into: buffer.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: count - 1))  // …SS, without the Z
        }
        bytes.append(UInt8(ascii: "."))
        let fractionStart = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9))
        var nanos = Int(utc.nanoseconds)
        for position in stride(from: fractionStart + 8, through: fractionStart, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(nanos % 10)
            nanos /= 10
        }
        bytes.append(UInt8(ascii: "Z"))
    }
}
