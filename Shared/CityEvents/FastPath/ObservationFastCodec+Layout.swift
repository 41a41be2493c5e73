/// The quickest decoding path of ``ObservationRecorded``: the JSON exactly as
/// ``ObservationFastCodec/encode(_:)`` (and the `Codable` reference, byte for byte) writes it — keys
/// sorted, no whitespace, optional members omitted, strings without escapes. Each member is
/// recognised by comparing the bytes with the literal expected next, instead of reading the key and
/// looking it up.
///
/// Any other input — whitespace, another order, an unknown or repeated member, a `null`, an escape,
/// invalid UTF-8, a malformed number — makes it return `nil`; ``ObservationFastCodec/decode(_:interning:)``
/// then reads the bytes with the general fast parser, and that failing, the reference decoder.
extension ObservationFastCodec {
    static func parseEncoderLayout(_ scanner: inout JSONScanner, _ interner: inout StringInterner) -> ObservationRecorded? {
        guard scanner.layoutLiteral("{\"agencyId\":"), let agencyId = scanner.layoutString(interning: &interner),
            scanner.layoutLiteral(",\"datasetId\":"), let datasetId = scanner.layoutString(interning: &interner)
        else { return nil }
        var location: GeoLocation?
        if scanner.layoutLiteral(",\"location\":{") {
            var areaCode: String?
            if scanner.layoutLiteral("\"areaCode\":") {
                guard let code = scanner.layoutString(interning: &interner), scanner.layoutLiteral(",") else { return nil }
                areaCode = code
            }
            guard scanner.layoutLiteral("\"lat\":"), let lat = scanner.layoutNumber(),
                scanner.layoutLiteral(",\"lon\":"), let lon = scanner.layoutNumber(), scanner.layoutLiteral("}")
            else { return nil }
            location = GeoLocation(lat: lat, lon: lon, areaCode: areaCode)
        }
        guard scanner.layoutLiteral(",\"measurements\":["), let measurements = layoutMeasurements(&scanner),
            scanner.layoutLiteral(",\"observationId\":"), let rawId = scanner.layoutStringBytes(),
            let observationId = UTF8Text.decode(rawId),  // unique to the record: not a known string
            scanner.layoutLiteral(",\"observedAt\":"), let rawTime = scanner.layoutStringBytes(),
            case .success(let observedAt) = RFC3339.parseBytes(rawTime),
            scanner.layoutLiteral(",\"sourceId\":"), let sourceId = scanner.layoutString(interning: &interner),
            scanner.layoutLiteral("}"), scanner.isAtEnd
        else { return nil }
        return ObservationRecorded(
            observationId: observationId, datasetId: datasetId, agencyId: agencyId, sourceId: sourceId,
            observedAt: observedAt, location: location, measurements: measurements
        )
    }

    /// The measurements after the opening `[`, through the closing `]`.
    @inline(__always)
    private static func layoutMeasurements(_ scanner: inout JSONScanner) -> [ObservationMeasurement]? {
        var result: [ObservationMeasurement] = []
        result.reserveCapacity(8)
        if scanner.layoutLiteral("]") { return result }
        // Measurements usually share their unit (canonical units): the previous one's bytes and string.
        var previousUnit: (bytes: UnsafeBufferPointer<UInt8>, text: String)?
        let known = KnownStrings.tables
        repeat {
            guard scanner.layoutLiteral("{\"quantity\":"), let rawQuantity = scanner.layoutStringBytes(),
                let quantity = JSONScanner.text(rawQuantity, known: known),
                scanner.layoutLiteral(",\"unit\":"), let rawUnit = scanner.layoutStringBytes()
            else { return nil }
            let unit: String
            if let previousUnit, KnownStrings.memoryEqual(previousUnit.bytes, rawUnit) {
                unit = previousUnit.text
            } else {
                guard let text = JSONScanner.text(rawUnit, known: known) else { return nil }
                unit = text
                previousUnit = (rawUnit, text)
            }
            guard scanner.layoutLiteral(",\"value\":"), let value = scanner.layoutNumber(), scanner.layoutLiteral("}")
            else { return nil }
            result.append(ObservationMeasurement(quantity: quantity, value: value, unit: unit))
        } while scanner.layoutLiteral(",")
        guard scanner.layoutLiteral("]") else { return nil }
        return result
    }
}
