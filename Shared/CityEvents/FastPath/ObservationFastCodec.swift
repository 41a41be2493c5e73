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
        // Keys with their punctuation are written as one literal each (fewer bound checks). The
        // bound is only computed when the JSON does not fit the writer's stack buffer.
        return JSONWriter.write(bound: { bound(record) }) { writer in
            writer.raw("{\"agencyId\":")
            writer.string(record.agencyId)
            writer.raw(",\"datasetId\":")
            writer.string(record.datasetId)
            if let location = record.location {
                if let areaCode = location.areaCode {
                    writer.raw(",\"location\":{\"areaCode\":")
                    writer.string(areaCode)
                    writer.raw(",\"lat\":")
                } else {
                    writer.raw(",\"location\":{\"lat\":")
                }
                writer.number(location.lat)
                writer.raw(",\"lon\":")
                writer.number(location.lon)
                writer.raw(0x7D)
            }
            writer.raw(",\"measurements\":")
            writeMeasurements(record.measurements, to: &writer)
            writer.raw(",\"observationId\":")
            writer.string(record.observationId)
            writer.raw(",\"observedAt\":")
            writer.timestamp(record.observedAt)
            writer.raw(",\"sourceId\":")
            writer.string(record.sourceId)
            writer.raw(0x7D)
        }
    }

    /// The `measurements` array alone, the same bytes ``encode(_:)`` writes for it.
    static func encodeMeasurements(_ measurements: [ObservationMeasurement]) throws(EventEncodingError) -> [UInt8] {
        for (index, measurement) in measurements.enumerated() where !measurement.value.isFinite {
            throw .nonFiniteNumber(path: "measurements[\(index)].value")
        }
        return JSONWriter.write(bound: { measurementsBound(measurements) }) { writer in
            writeMeasurements(measurements, to: &writer)
        }
    }

    /// Writes `[{"quantity":…,"unit":…,"value":…},…]`.
    @inline(__always)
    private static func writeMeasurements(_ measurements: [ObservationMeasurement], to writer: inout JSONWriter) {
        writer.raw(0x5B)
        // Through the buffer with an index: ≈ 100 instructions fewer per record than `for … in`
        // (callgrind, 6 measurements).
        measurements.withUnsafeBufferPointer { measurements in
            var index = 0
            while index < measurements.count {
                writer.raw(index == 0 ? "{\"quantity\":" : ",{\"quantity\":")
                writer.string(measurements[index].quantity)
                writer.raw(",\"unit\":")
                writer.string(measurements[index].unit)
                writer.raw(",\"value\":")
                writer.number(measurements[index].value)
                writer.raw(0x7D)
                index += 1
            }
        }
        writer.raw(0x5D)
    }

    /// An upper bound of the encoded size of a `measurements` array.
    private static func measurementsBound(_ measurements: [ObservationMeasurement]) -> Int {
        var total = 2
        for measurement in measurements {
            total += 40 + JSONWriter.numberBound
            total += JSONWriter.stringBound(measurement.quantity) + JSONWriter.stringBound(measurement.unit)
        }
        return total
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
        var interner = StringInterner(capacity: 0)
        return decode(bytes, interning: &interner)
    }

    /// ``decode(_:)`` taking the ids that repeat between records (dataset, agency, source, area
    /// code) from `interner`.
    static func decode(_ bytes: [UInt8], interning interner: inout StringInterner) -> ObservationRecorded? {
        assert(Key.verified, "ObservationFastCodec.Key constants do not spell their keys")
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            if let record = parseEncoderLayout(&scanner, &interner) { return record }
            scanner.position = 0
            guard let record = parseRecord(&scanner, &interner) else { return nil }
            scanner.skipWhitespace()
            return scanner.isAtEnd ? record : nil
        }
    }

    /// The member names, packed as ``KnownStrings/ShortKey`` (length, then the UTF-8 bytes as
    /// little-endian words), so that a key is recognised with one or two integer comparisons.
    private enum Key {
        static let agencyId = KnownStrings.ShortKey(length: 8, low: 0x6449_7963_6E65_6761, high: 0)
        static let datasetId = KnownStrings.ShortKey(length: 9, low: 0x4974_6573_6174_6164, high: 0x64)
        static let location = KnownStrings.ShortKey(length: 8, low: 0x6E6F_6974_6163_6F6C, high: 0)
        static let measurements = KnownStrings.ShortKey(length: 12, low: 0x6D65_7275_7361_656D, high: 0x7374_6E65)
        static let observationId = KnownStrings.ShortKey(length: 13, low: 0x7461_7672_6573_626F, high: 0x64_496E_6F69)
        static let observedAt = KnownStrings.ShortKey(length: 10, low: 0x6465_7672_6573_626F, high: 0x7441)
        static let sourceId = KnownStrings.ShortKey(length: 8, low: 0x6449_6563_7275_6F73, high: 0)
        static let areaCode = KnownStrings.ShortKey(length: 8, low: 0x6564_6F43_6165_7261, high: 0)
        static let lat = KnownStrings.ShortKey(length: 3, low: 0x74_616C, high: 0)
        static let lon = KnownStrings.ShortKey(length: 3, low: 0x6E_6F6C, high: 0)
        static let quantity = KnownStrings.ShortKey(length: 8, low: 0x7974_6974_6E61_7571, high: 0)
        static let unit = KnownStrings.ShortKey(length: 4, low: 0x7469_6E75, high: 0)
        static let value = KnownStrings.ShortKey(length: 5, low: 0x65_756C_6176, high: 0)

        /// Whether every constant above spells its name (checked by `assert` in debug builds).
        static var verified: Bool {
            let expected: [(KnownStrings.ShortKey, String)] = [
                (agencyId, "agencyId"), (datasetId, "datasetId"), (location, "location"), (measurements, "measurements"),
                (observationId, "observationId"), (observedAt, "observedAt"), (sourceId, "sourceId"),
                (areaCode, "areaCode"), (lat, "lat"), (lon, "lon"), (quantity, "quantity"), (unit, "unit"), (value, "value"),
            ]
            return expected.allSatisfy { key, name in
                Array(name.utf8).withUnsafeBufferPointer { KnownStrings.ShortKey($0) } == key
            }
        }
    }

    private static func parseRecord(_ scanner: inout JSONScanner, _ interner: inout StringInterner) -> ObservationRecorded? {
        var observationId: String?
        var datasetId: String?
        var agencyId: String?
        var sourceId: String?
        var observedAt: Timestamp?
        var location: GeoLocation??
        var measurements: [ObservationMeasurement]?
        let wellFormed = scanner.object { scanner, key in
            if key == Key.agencyId { return assignOnce(&agencyId, scanner.string(interning: &interner)) }
            if key == Key.datasetId { return assignOnce(&datasetId, scanner.string(interning: &interner)) }
            if key == Key.location {
                return assignOnce(&location, nullable(&scanner) { parseLocation(&$0, &interner) })
            }
            if key == Key.measurements { return assignOnce(&measurements, parseMeasurements(&scanner)) }
            if key == Key.observationId { return assignOnce(&observationId, nonNullString(&scanner)) }
            if key == Key.observedAt { return assignOnce(&observedAt, timestamp(&scanner)) }
            if key == Key.sourceId { return assignOnce(&sourceId, scanner.string(interning: &interner)) }
            return scanner.skipValue() != nil
        }
        guard wellFormed, let observationId, let datasetId, let agencyId, let sourceId, let observedAt, let measurements
        else { return nil }
        return ObservationRecorded(
            observationId: observationId, datasetId: datasetId, agencyId: agencyId, sourceId: sourceId,
            observedAt: observedAt, location: location ?? nil, measurements: measurements
        )
    }

    private static func parseLocation(_ scanner: inout JSONScanner, _ interner: inout StringInterner) -> GeoLocation? {
        var lat: Double?
        var lon: Double?
        var areaCode: String??
        let wellFormed = scanner.object { scanner, key in
            if key == Key.lat { return assignOnce(&lat, scanner.number()) }
            if key == Key.lon { return assignOnce(&lon, scanner.number()) }
            if key == Key.areaCode { return assignOnce(&areaCode, nullable(&scanner) { $0.string(interning: &interner) }) }
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

    @inline(__always)
    private static func parseMeasurement(_ scanner: inout JSONScanner) -> ObservationMeasurement? {
        var quantity: String?
        var value: Double?
        var unit: String?
        let wellFormed = scanner.object { scanner, key in
            if key == Key.quantity { return assignOnce(&quantity, nonNullString(&scanner)) }
            if key == Key.value { return assignOnce(&value, scanner.number()) }
            if key == Key.unit { return assignOnce(&unit, nonNullString(&scanner)) }
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

    /// `.some(nil)` for JSON null, `.some(value)` for a value, `nil` when malformed.
    @inline(__always)
    private static func nullable<Value>(
        _ scanner: inout JSONScanner,
        _ parse: (inout JSONScanner) -> Value?
    ) -> Value?? {
        if scanner.consumeLiteral("null") { return .some(nil) }
        guard let value = parse(&scanner) else { return nil }
        return .some(value)
    }

    @inline(__always)
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
}
