import CityEvents

/// Fully populated sample payloads (every optional field set), one per event type: the source of
/// the golden fixtures and of the round-trip tests.
enum Samples {
    static func time(_ text: String) -> Timestamp {
        guard let value = Timestamp(rfc3339: text) else {
            preconditionFailure("sample timestamp \(text) does not parse")
        }
        return value
    }

    static let observation = ObservationRecorded(
        datasetId: "hanoi-air-quality",
        agencyId: "so-tnmt-hanoi",
        sourceId: "hanoi-city",
        observedAt: time("2025-03-01T00:01:17.669055+07:00"),
        location: GeoLocation(lat: 21.0285, lon: 105.8542, areaCode: "01"),
        measurements: [
            ObservationMeasurement(quantity: "pm25", value: 70.5, unit: "µg/m³"),
            ObservationMeasurement(quantity: "pm10", value: 118.3, unit: "µg/m³"),
            ObservationMeasurement(quantity: "o3", value: 5.2, unit: "µg/m³"),
            ObservationMeasurement(quantity: "no2", value: 91.8, unit: "µg/m³"),
            ObservationMeasurement(quantity: "so2", value: 10.3, unit: "µg/m³"),
            ObservationMeasurement(quantity: "co", value: 2172.7, unit: "µg/m³"),
        ]
    )

    static let rejected = IngestRejected(
        agencyId: "so-tnmt-hanoi", datasetId: "hanoi-air-quality", sourceId: "hanoi-city",
        batchId: "0b9a4a57-7d1e-4c39-9d2a-5f7f2f0e4c11", index: 3, field: "humidity",
        reason: "humidity value 161 % is outside the plausible range 0…100 %",
        record: .object([
            "timestamp": .string("2025-03-01T03:00:00+07:00"), "humidity": .string("161%"),
            "pm25": .number(70.5), "stale": .bool(false), "tags": .array([.string("csv")]), "note": .null,
        ])
    )

    static let agency = AgencySnapshot(
        id: "so-tnmt-hanoi", name: "Sở Tài nguyên và Môi trường Hà Nội",
        nameEn: "Hanoi Department of Natural Resources and Environment",
        apiKeys: [
            ApiKeyRecord(
                keyId: "k_01", hash: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                role: .publisher, createdAt: time("2025-01-02T09:00:00+07:00"), revokedAt: time("2025-02-01T09:00:00+07:00")
            ),
            ApiKeyRecord(
                keyId: "k_02", hash: "sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
                role: .both, createdAt: time("2025-02-01T09:00:00+07:00")
            ),
        ],
        updatedAt: time("2025-02-01T09:00:00.5+07:00")
    )

    static let dataset = DatasetSnapshot(
        id: "hanoi-air-quality", agencyId: "so-tnmt-hanoi", title: "Chất lượng không khí Hà Nội",
        titleEn: "Hanoi air quality", description: "Quan trắc không khí hằng giờ",
        descriptionEn: "Hourly air-quality monitoring", theme: "environment", keywords: ["không khí", "air", "pm25"],
        accessLevel: .public, license: "CC-BY-4.0", updateFrequency: "PT1H", timeColumn: "timestamp",
        sourceColumn: "station",
        fields: [
            DatasetField(quantity: "pm25", unit: "ug/m3", column: "pm25"),
            DatasetField(quantity: "co", unit: "mg/m3", column: "co"),
            DatasetField(quantity: "wind_speed", unit: "km/h", column: "wind_speed"),
        ],
        spatial: SpatialCoverage(areaCodes: ["01"], boundingBox: [105.28, 20.56, 106.02, 21.39], placeName: "Hà Nội"),
        contact: DatasetContact(name: "Phòng Quan trắc", email: "quantrac@example.gov.vn", phone: "+84 24 0000 0000"),
        freshness: DatasetFreshness(lastObservedAt: time("2025-06-30T23:01:05+07:00"), late: true),
        updatedAt: time("2025-07-01T08:00:00Z")
    )

    static let grant = GrantSnapshot(
        id: "grant-0001", datasetId: "hanoi-air-quality", agencyId: "so-gtvt-hanoi",
        createdAt: time("2025-03-15T10:30:00+07:00")
    )

    static let indicator = IndicatorComputed(
        indicatorId: "vn_aqi_hourly", area: "01", source: "hanoi-city",
        periodStart: time("2025-03-01T00:00:00+07:00"), periodEnd: time("2025-03-01T01:00:00+07:00"),
        value: 162, unit: "1", category: "bad", categoryVi: "Xấu", categoryEn: "Bad", colour: "#ff0000",
        complete: true, version: 2, components: ["pm25": 162, "pm10": 84.15, "no2": 45.9],
        computedAt: time("2025-03-01T01:00:05.25+07:00"), datasetId: "hanoi-air-quality"
    )

    static let alert = IndicatorAlert(
        indicatorId: "vn_aqi_hourly", source: "hanoi-city", area: "01", kind: .raised, severity: .warning,
        previousCategory: "poor", category: "bad", value: 162, threshold: 150,
        periodStart: time("2025-03-01T00:00:00+07:00"), periodEnd: time("2025-03-01T01:00:00+07:00"),
        datasetId: "hanoi-air-quality"
    )

    static let delivery = DeliveryOutcome(
        subscriptionId: "sub-42", eventId: "5f0c6f4e-52a4-4b8e-9d76-3c1de0d2b7aa", eventType: EventType.indicatorAlert,
        webhookId: "msg_2b3c4d5e", attempt: 3, status: .deadLettered, responseCode: 503, latencyMs: 1204,
        error: "HTTP 503 Service Unavailable", at: time("2025-03-01T01:07:00+07:00")
    )

    static let deadLetter = DeadLetterRecord(
        originalTopic: TopicName.observations, partition: 7, offset: 123_456,
        key: ByteString(Array("hanoi-city".utf8)),
        headers: [
            DeadLetterHeader(name: "ce_type", value: ByteString(Array("vn.citydata.observation.recorded.v1".utf8))),
            DeadLetterHeader(name: "x-binary", value: ByteString([0xFF, 0x00, 0x01])),
        ],
        value: ByteString(Array("{\"datasetId\":1}".utf8)),
        error: "field 'datasetId' has the wrong type (expected string)", consumerGroup: "indicators",
        failedAt: time("2025-03-01T01:00:00Z"), attempts: 5
    )

    static let eventID = "7d1f0c1e-6b0a-4f57-9a51-0d5c2f5e9b10"
    static let eventTime = time("2025-03-01T00:01:20.125+07:00")

    /// ``observation`` encoded as a Kafka record with ``eventID``, ``eventTime`` and source `/city/ingest`.
    static let observationRecord: KafkaRecord = {
        do {
            return try EventCodec.encode(observation, id: eventID, source: "/city/ingest", time: eventTime)
        } catch {
            preconditionFailure("sample does not encode: \(error)")
        }
    }()
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
}
