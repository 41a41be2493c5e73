import CityEvents

/// Payloads the filter, access and throttle tests share.
enum SampleEvents {
    static let start = Timestamp(rfc3339: "2025-04-01T07:00:00+07:00")!
    static let end = Timestamp(rfc3339: "2025-04-01T08:00:00+07:00")!

    static func alert(severity: AlertSeverity = .warning, source: String = "hanoi-city", area: String? = nil, dataset: String = "hanoi-air-quality") -> IndicatorAlert {
        IndicatorAlert(
            indicatorId: "vn_aqi_hourly", source: source, area: area, kind: .raised, severity: severity, category: "poor",
            value: 151, threshold: 150, periodStart: start, periodEnd: end, datasetId: dataset
        )
    }

    static func computed(indicator: String = "us_aqi_hourly", area: String? = "001") -> IndicatorComputed {
        IndicatorComputed(
            indicatorId: indicator, area: area, source: "hanoi-city", periodStart: start, periodEnd: end, value: 88, unit: "1",
            category: "moderate", complete: true, computedAt: end, datasetId: "hanoi-air-quality"
        )
    }

    static let observation = ObservationRecorded(
        datasetId: "hanoi-traffic", agencyId: "so-gtvt-hanoi", sourceId: "cam-12", observedAt: start,
        location: GeoLocation(lat: 21.03, lon: 105.85, areaCode: "002"),
        measurements: [ObservationMeasurement(quantity: "traffic_speed", value: 6.4, unit: "km/h")]
    )

    static func dataset(_ id: String, owner: String, access: AccessLevel) -> DatasetSnapshot {
        DatasetSnapshot(
            id: id, agencyId: owner, title: id, titleEn: id, theme: "environment", accessLevel: access, license: "CC-BY-4.0",
            updateFrequency: "PT1H", timeColumn: "timestamp", fields: [], spatial: SpatialCoverage(areaCodes: ["001", "003"]),
            updatedAt: start
        )
    }
}
