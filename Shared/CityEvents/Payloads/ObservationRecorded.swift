/// `vn.citydata.observation.recorded.v1` on `city.observations.v1`, keyed by source id: one
/// observation record ingest accepted, with every measurement already in its quantity's canonical
/// unit (see ``QuantityRegistry``).
public struct ObservationRecorded: EventPayload, Hashable {
    public static let eventType = EventType.observationRecorded
    public static let topic = TopicName.observations

    /// Deterministic id from (datasetId, sourceId, observedAt); see ``ObservationID``.
    public var observationId: String
    /// The dataset the record belongs to.
    public var datasetId: String
    /// The agency that published it (the dataset's owner).
    public var agencyId: String
    /// The station or sensor.
    public var sourceId: String
    /// When the values were observed, with the offset the publisher used.
    public var observedAt: Timestamp
    /// Where, when known.
    public var location: GeoLocation?
    /// The measured values, in canonical units.
    public var measurements: [ObservationMeasurement]

    /// Creates a record and derives its ``observationId``.
    public init(
        datasetId: String,
        agencyId: String,
        sourceId: String,
        observedAt: Timestamp,
        location: GeoLocation? = nil,
        measurements: [ObservationMeasurement]
    ) {
        self.init(
            observationId: ObservationID.make(datasetId: datasetId, sourceId: sourceId, observedAt: observedAt),
            datasetId: datasetId, agencyId: agencyId, sourceId: sourceId, observedAt: observedAt,
            location: location, measurements: measurements
        )
    }

    /// Creates a record with an explicit id (e.g. when decoding or copying).
    public init(
        observationId: String,
        datasetId: String,
        agencyId: String,
        sourceId: String,
        observedAt: Timestamp,
        location: GeoLocation? = nil,
        measurements: [ObservationMeasurement]
    ) {
        self.observationId = observationId
        self.datasetId = datasetId
        self.agencyId = agencyId
        self.sourceId = sourceId
        self.observedAt = observedAt
        self.location = location
        self.measurements = measurements
    }

    public var partitionKey: [UInt8]? { UTF8Text.bytes(sourceId) }
    public var defaultSubject: String? { datasetId }

    /// The value of a quantity in this record, if measured.
    public func value(of quantity: String) -> Double? {
        measurements.first { $0.quantity == quantity }?.value
    }

    public func encodeJSON() throws(EventEncodingError) -> [UInt8] {
        try ObservationFastCodec.encode(self)
    }

    /// The ``measurements`` as the JSON array the payload carries (the bytes ``encodeJSON()`` writes
    /// for them), e.g. for a `jsonb` column.
    public func measurementsJSON() throws(EventEncodingError) -> [UInt8] {
        try ObservationFastCodec.encodeMeasurements(measurements)
    }

    public static func decodeJSON(_ bytes: [UInt8]) throws(EventDecodingError) -> ObservationRecorded {
        if let decoded = ObservationFastCodec.decode(bytes) { return decoded }
        // Anything unusual (or wrong) goes through the reference decoder, which names the problem.
        return try PayloadJSON.decode(ObservationRecorded.self, from: bytes)
    }
}

/// A point on the map, WGS 84.
public struct GeoLocation: Codable, Sendable, Hashable {
    /// Latitude in degrees, −90…90.
    public var lat: Double
    /// Longitude in degrees, −180…180.
    public var lon: Double
    /// Administrative area code (e.g. a district or ward code), when known.
    public var areaCode: String?

    /// Creates a location.
    public init(lat: Double, lon: Double, areaCode: String? = nil) {
        self.lat = lat
        self.lon = lon
        self.areaCode = areaCode
    }
}

/// One measured value of an observation: a quantity id (e.g. `pm25`), the value and its unit
/// (always the quantity's canonical unit on `city.observations.v1`).
public struct ObservationMeasurement: Codable, Sendable, Hashable {
    /// The quantity id, e.g. `pm25`; see ``QuantityRegistry``.
    public var quantity: String
    /// The value.
    public var value: Double
    /// The unit symbol, e.g. `µg/m³`.
    public var unit: String

    /// Creates a measurement.
    public init(quantity: String, value: Double, unit: String) {
        self.quantity = quantity
        self.value = value
        self.unit = unit
    }
}
