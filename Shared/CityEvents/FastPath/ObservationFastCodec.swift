/// A hand-written JSON encoder and parser for ``ObservationRecorded``, the high-volume payload.
///
/// The `Codable` path (``PayloadJSON``) stays the reference: the encoder writes byte-identical
/// output (tests compare), and the parser accepts the common shape only — it returns `nil` for
/// anything else (missing or duplicate fields, wrong types, escapes it cannot prove equivalent…), and
/// the caller then falls back to the reference decoder, which either decodes it or explains the error.
enum ObservationFastCodec {
    static func encode(_ record: ObservationRecorded) throws(EventEncodingError) -> [UInt8] {
        if let location = record.location {
            guard location.lat.isFinite else { throw .nonFiniteNumber(path: "location.lat") }
            guard location.lon.isFinite else { throw .nonFiniteNumber(path: "location.lon") }
        }
        for (index, measurement) in record.measurements.enumerated() where !measurement.value.isFinite {
            throw .nonFiniteNumber(path: "measurements[\(index)].value")
        }
        return JSONWriter.write(maximumBytes: bound(record)) { writer in
            writer.raw(0x7B)
            writer.member("agencyId", string: record.agencyId, first: true)
            writer.member("datasetId", string: record.datasetId)
            if let location = record.location {
                writer.raw(0x2C)
                writer.key("location")
                writer.raw(0x7B)
                if let areaCode = location.areaCode {
                    writer.member("areaCode", string: areaCode, first: true)
                    writer.raw(0x2C)
                }
                writer.member("lat", number: location.lat, first: true)
                writer.member("lon", number: location.lon)
                writer.raw(0x7D)
            }
            writer.raw(0x2C)
            writer.key("measurements")
            writer.raw(0x5B)
            for (index, measurement) in record.measurements.enumerated() {
                if index > 0 { writer.raw(0x2C) }
                writer.raw(0x7B)
                writer.member("quantity", string: measurement.quantity, first: true)
                writer.member("unit", string: measurement.unit)
                writer.member("value", number: measurement.value)
                writer.raw(0x7D)
            }
            writer.raw(0x5D)
            writer.member("observationId", string: record.observationId)
            writer.raw(0x2C)
            writer.key("observedAt")
            writer.timestamp(record.observedAt)
            writer.member("sourceId", string: record.sourceId)
            writer.raw(0x7D)
        }
    }

    /// An upper bound of the encoded size.
    private static func bound(_ record: ObservationRecorded) -> Int {
        var total = 160 + JSONWriter.timestampBound
        total += JSONWriter.stringBound(record.agencyId) + JSONWriter.stringBound(record.datasetId)
        total += JSONWriter.stringBound(record.observationId) + JSONWriter.stringBound(record.sourceId)
        if let location = record.location {
            total += 40 + 2 * JSONWriter.numberBound + (location.areaCode.map(JSONWriter.stringBound) ?? 0)
        }
        for measurement in record.measurements {
            total += 40 + JSONWriter.numberBound
            total += JSONWriter.stringBound(measurement.quantity) + JSONWriter.stringBound(measurement.unit)
        }
        return total
    }

    /// The record, or `nil` when the input is not in the common shape (see the type's comment).
    static func decode(_ bytes: [UInt8]) -> ObservationRecorded? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            guard let record = parseRecord(&scanner) else { return nil }
            scanner.skipWhitespace()
            return scanner.isAtEnd ? record : nil
        }
    }

    private static func parseRecord(_ scanner: inout JSONScanner) -> ObservationRecorded? {
        var observationId: String?
        var datasetId: String?
        var agencyId: String?
        var sourceId: String?
        var observedAt: Timestamp?
        var location: GeoLocation??
        var measurements: [ObservationMeasurement]?
        let wellFormed = scanner.object { scanner, key in
            if scanner.key(key, is: "observationId") { return assignOnce(&observationId, nonNullString(&scanner)) }
            if scanner.key(key, is: "datasetId") { return assignOnce(&datasetId, nonNullString(&scanner)) }
            if scanner.key(key, is: "agencyId") { return assignOnce(&agencyId, nonNullString(&scanner)) }
            if scanner.key(key, is: "sourceId") { return assignOnce(&sourceId, nonNullString(&scanner)) }
            if scanner.key(key, is: "observedAt") { return assignOnce(&observedAt, timestamp(&scanner)) }
            if scanner.key(key, is: "location") { return assignOnce(&location, nullable(&scanner, parseLocation)) }
            if scanner.key(key, is: "measurements") { return assignOnce(&measurements, parseMeasurements(&scanner)) }
            return scanner.skipValue() != nil
        }
        guard wellFormed, let observationId, let datasetId, let agencyId, let sourceId, let observedAt, let measurements
        else { return nil }
        return ObservationRecorded(
            observationId: observationId, datasetId: datasetId, agencyId: agencyId, sourceId: sourceId,
            observedAt: observedAt, location: location ?? nil, measurements: measurements
        )
    }

    private static func parseLocation(_ scanner: inout JSONScanner) -> GeoLocation? {
        var lat: Double?
        var lon: Double?
        var areaCode: String??
        let wellFormed = scanner.object { scanner, key in
            if scanner.key(key, is: "lat") { return assignOnce(&lat, scanner.number()) }
            if scanner.key(key, is: "lon") { return assignOnce(&lon, scanner.number()) }
            if scanner.key(key, is: "areaCode") { return assignOnce(&areaCode, nullable(&scanner, nonNullString)) }
            return scanner.skipValue() != nil
        }
        guard wellFormed, let lat, let lon else { return nil }
        return GeoLocation(lat: lat, lon: lon, areaCode: areaCode ?? nil)
    }

    private static func parseMeasurements(_ scanner: inout JSONScanner) -> [ObservationMeasurement]? {
        guard scanner.consume(0x5B) else { return nil }
        var result: [ObservationMeasurement] = []
        result.reserveCapacity(8)
        if scanner.consume(0x5D) { return result }
        repeat {
            guard let measurement = parseMeasurement(&scanner) else { return nil }
            result.append(measurement)
        } while scanner.consume(0x2C)
        guard scanner.consume(0x5D) else { return nil }
        return result
    }

    private static func parseMeasurement(_ scanner: inout JSONScanner) -> ObservationMeasurement? {
        var quantity: String?
        var value: Double?
        var unit: String?
        let wellFormed = scanner.object { scanner, key in
            if scanner.key(key, is: "quantity") { return assignOnce(&quantity, nonNullString(&scanner)) }
            if scanner.key(key, is: "value") { return assignOnce(&value, scanner.number()) }
            if scanner.key(key, is: "unit") { return assignOnce(&unit, nonNullString(&scanner)) }
            return scanner.skipValue() != nil
        }
        guard wellFormed, let quantity, let value, let unit else { return nil }
        return ObservationMeasurement(quantity: quantity, value: value, unit: unit)
    }

    /// Stores `value` in an empty slot; `false` for a duplicate key or an unusable value.
    @inline(__always)
    private static func assignOnce<Value>(_ slot: inout Value?, _ value: Value?) -> Bool {
        guard slot == nil, let value else { return false }
        slot = value
        return true
    }

    private static func nonNullString(_ scanner: inout JSONScanner) -> String? {
        guard scanner.peek() == 0x22 else { return nil }
        return scanner.string()
    }

    /// A timestamp parsed straight from the string's bytes (no escapes expected).
    private static func timestamp(_ scanner: inout JSONScanner) -> Timestamp? {
        guard scanner.peek() == 0x22, let range = scanner.rawKey(),
            case .success(let value) = RFC3339.parseBytes(UnsafeBufferPointer(rebasing: scanner.bytes[range]))
        else { return nil }
        return value
    }

    /// `.some(nil)` for JSON null, `.some(value)` for a value, `nil` when malformed.
    private static func nullable<Value>(
        _ scanner: inout JSONScanner,
        _ parse: (inout JSONScanner) -> Value?
    ) -> Value?? {
        if scanner.consumeLiteral("null") { return .some(nil) }
        guard let value = parse(&scanner) else { return nil }
        return .some(value)
    }
}
