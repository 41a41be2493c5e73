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
        var name = Array(datasetId.utf8)
        name.append(0)
        name.append(contentsOf: sourceId.utf8)
        name.append(0)
        name.append(contentsOf: canonicalInstant(observedAt).utf8)
        var bytes = Array(SHA256.digest(name).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Array(Hex.lowercase(bytes).utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, digit) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(0x2D) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `observedAt` in UTC with exactly nine fraction digits (step 1 of the algorithm).
    public static func canonicalInstant(_ observedAt: Timestamp) -> String {
        let utc = observedAt.utc
        let whole = Timestamp(secondsSinceEpoch: utc.secondsSinceEpoch).rfc3339  // …SSZ
        var nanos = String(utc.nanoseconds)
        while nanos.count < 9 { nanos = "0" + nanos }
        return String(whole.dropLast()) + "." + nanos + "Z"
    }
}
