/// Every quantity of PLATFORM.md, plus air pressure (reported by weather stations next to air
/// quality) and the published US AQI (IQAir's `aqi` column, kept as a reference value).
///
/// Plausible ranges are physical limits with headroom, not alert thresholds: they catch unit
/// mistakes (CO in mg/m³ sent as µg/m³ stays in range; PM in ppm does not exist) and broken sensors.
/// Gas conversions use 25 °C and 1 atm (molar volume 24.45 L) and the molar masses of the
/// air-quality reference: NO2 46.01, SO2 64.07, O3 48.00, CO 28.01 g/mol.
public enum QuantityRegistry {
    /// Molar masses in g/mol.
    public enum MolarMass {
        public static let no2 = 46.01
        public static let so2 = 64.07
        public static let o3 = 48.00
        public static let co = 28.01
    }

    /// Every quantity, in a stable order.
    public static let all: [Quantity] = [
        particulate("pm25", "PM2.5 mass concentration", upTo: 2_000),
        particulate("pm10", "PM10 mass concentration", upTo: 5_000),
        gas("o3", "Ozone", molarMass: MolarMass.o3, upTo: 5_000),
        gas("no2", "Nitrogen dioxide", molarMass: MolarMass.no2, upTo: 10_000),
        gas("so2", "Sulphur dioxide", molarMass: MolarMass.so2, upTo: 10_000),
        gas("co", "Carbon monoxide", molarMass: MolarMass.co, upTo: 500_000),
        Quantity(
            id: "temperature", name: "Air temperature", canonicalUnit: .degreesCelsius, plausibleRange: -90...70,
            conversions: [.degreesFahrenheit: .fahrenheitToCelsius, .kelvin: .kelvinToCelsius]
        ),
        Quantity(id: "humidity", name: "Relative humidity", canonicalUnit: .percent, plausibleRange: 0...100),
        Quantity(
            id: "wind_speed", name: "Wind speed", canonicalUnit: .metresPerSecond, plausibleRange: 0...120,
            conversions: [.kilometresPerHour: .divide(3.6), .milesPerHour: .multiply(0.44704), .knots: .multiply(1852.0 / 3600.0)]
        ),
        Quantity(
            id: "traffic_speed", name: "Traffic speed", canonicalUnit: .kilometresPerHour, plausibleRange: 0...300,
            conversions: [.metresPerSecond: .multiply(3.6), .milesPerHour: .multiply(1.609344)]
        ),
        Quantity(id: "traffic_volume", name: "Traffic volume", canonicalUnit: .vehiclesPerHour, plausibleRange: 0...100_000),
        Quantity(
            id: "waste_collected", name: "Solid waste collected", canonicalUnit: .kilograms, plausibleRange: 0...1e9,
            conversions: [.grams: .divide(1_000), .tonnes: .multiply(1_000)]
        ),
        Quantity(
            id: "electricity", name: "Electricity consumed", canonicalUnit: .kilowattHours, plausibleRange: 0...1e12,
            conversions: [.wattHours: .divide(1_000), .megawattHours: .multiply(1_000)]
        ),
        Quantity(
            id: "water", name: "Water consumed", canonicalUnit: .cubicMetres, plausibleRange: 0...1e10,
            conversions: [.litres: .divide(1_000)]
        ),
        Quantity(
            id: "pressure", name: "Air pressure", canonicalUnit: .hectopascals, plausibleRange: 800...1_100,
            conversions: [.pascals: .divide(100), .kilopascals: .multiply(10)]
        ),
        Quantity(id: "us_aqi", name: "US EPA AQI as published", canonicalUnit: .aqiIndex, plausibleRange: 0...1_000),
    ]

    private static let byID: [String: Quantity] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// Other names publishers use for quantity ids.
    public static let aliases: [String: String] = [
        "pm2.5": "pm25", "pm2_5": "pm25", "pm_25": "pm25", "windspeed": "wind_speed", "wind": "wind_speed",
        "temp": "temperature", "rh": "humidity", "aqi": "us_aqi",
    ]

    /// The quantity with this id (or alias, case-insensitive), if known.
    public static func quantity(_ id: String) -> Quantity? {
        if let quantity = byID[id] { return quantity }
        let lowered = id.trimmingWhitespace().lowercased()
        return byID[lowered] ?? aliases[lowered].flatMap { byID[$0] }
    }

    /// The quantity with this id, or ``MeasurementError/unknownQuantity(_:)``.
    public static func require(_ id: String) throws(MeasurementError) -> Quantity {
        guard let quantity = quantity(id) else { throw .unknownQuantity(id) }
        return quantity
    }

    private static func particulate(_ id: String, _ name: String, upTo limit: Double) -> Quantity {
        Quantity(
            id: id, name: name, canonicalUnit: .microgramsPerCubicMetre, plausibleRange: 0...limit,
            conversions: [.milligramsPerCubicMetre: .multiply(1_000)]
        )
    }

    private static func gas(_ id: String, _ name: String, molarMass: Double, upTo limit: Double) -> Quantity {
        Quantity(
            id: id, name: name, canonicalUnit: .microgramsPerCubicMetre, plausibleRange: 0...limit,
            conversions: [
                .milligramsPerCubicMetre: .multiply(1_000),
                .partsPerBillion: .mixingRatioToMass(molarMass: molarMass, partsPerBillion: 1),
                .partsPerMillion: .mixingRatioToMass(molarMass: molarMass, partsPerBillion: 1_000),
            ]
        )
    }
}
