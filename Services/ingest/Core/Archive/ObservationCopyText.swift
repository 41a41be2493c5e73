import CityEvents

/// Observations as rows of Postgres `COPY … FROM STDIN (FORMAT text)` for the archive table: columns
/// in ``columns`` order separated by tabs, one line per observation, `\N` for a missing value, and
/// backslash, tab, newline and carriage return escaped the way COPY reads them back. The values are
/// those the archive stored from the event payload before: the observation time as its RFC 3339
/// text, coordinates in shortest round-trip form, the measurements as the payload's JSON array.
public struct ObservationCopyText: Sendable {
    /// The archive columns the rows fill, in order.
    public static let columns = [
        "observation_id", "dataset_id", "agency_id", "source_id", "observed_at",
        "utc_offset_minutes", "lat", "lon", "area_code", "measurements",
    ]

    /// The rows written so far.
    public private(set) var bytes: [UInt8] = []
    /// How many rows ``bytes`` holds.
    public private(set) var rows = 0

    /// An empty text with room for about `rows` typical rows.
    public init(reservingRows rows: Int = 0) {
        bytes.reserveCapacity(rows * 400)
    }

    /// Appends one observation as a row. Throws (appending nothing) for a non-finite coordinate or
    /// value, which no decoded event carries.
    public mutating func append(_ observation: ObservationRecorded) throws(EventEncodingError) {
        let measurements = try observation.measurementsJSON()
        if let location = observation.location {
            guard location.lat.isFinite else { throw .nonFiniteNumber(path: "location.lat") }
            guard location.lon.isFinite else { throw .nonFiniteNumber(path: "location.lon") }
        }
        text(observation.observationId)
        tab()
        text(observation.datasetId)
        tab()
        text(observation.agencyId)
        tab()
        text(observation.sourceId)
        tab()
        bytes.append(contentsOf: observation.observedAt.rfc3339Bytes)
        tab()
        plain(observation.observedAt.utcOffsetMinutes.description)
        tab()
        if let location = observation.location {
            plain(location.lat.description)
            tab()
            plain(location.lon.description)
            tab()
            if let areaCode = location.areaCode { text(areaCode) } else { null() }
        } else {
            null()
            tab()
            null()
            tab()
            null()
        }
        tab()
        measurements.withUnsafeBufferPointer { escaped($0) }
        bytes.append(0x0A)
        rows += 1
    }

    /// Empties the text, keeping its storage for the next rows.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        rows = 0
    }

    private mutating func tab() { bytes.append(0x09) }

    private mutating func null() { bytes.append(contentsOf: [0x5C, 0x4E]) }

    /// Text known to need no escaping (digits, signs, `.`, `e`).
    private mutating func plain(_ value: String) { bytes.append(contentsOf: value.utf8) }

    private mutating func text(_ value: String) {
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { escaped($0) }
        if written == nil {
            var copy = value
            copy.withUTF8 { escaped($0) }
        }
    }

    /// Copies `utf8`, escaping what COPY's text format treats specially.
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.contains(where: Self.isSpecial) else {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            default: bytes.append(byte)
            }
        }
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
