import CityEvents
import Testing

@Suite("Quantities and units")
struct UnitsTests {
    @Test("every PLATFORM.md quantity with its canonical unit", arguments: [
        ("pm25", "µg/m³"), ("pm10", "µg/m³"), ("o3", "µg/m³"), ("no2", "µg/m³"), ("so2", "µg/m³"), ("co", "µg/m³"),
        ("temperature", "°C"), ("humidity", "%"), ("wind_speed", "m/s"), ("traffic_speed", "km/h"),
        ("traffic_volume", "vehicles/h"), ("waste_collected", "kg"), ("electricity", "kWh"), ("water", "m³"),
    ])
    func canonical(id: String, unit: String) throws {
        let quantity = try #require(QuantityRegistry.quantity(id))
        #expect(quantity.canonicalUnit.symbol == unit)
        #expect(quantity.plausibleRange.lowerBound <= 0 || id == "temperature")
    }

    @Test("unit spellings", arguments: [
        ("ug/m3", MeasurementUnit.microgramsPerCubicMetre), ("µg/m³", .microgramsPerCubicMetre),
        ("μg/m3", .microgramsPerCubicMetre), ("μg/m³", .microgramsPerCubicMetre), ("UG/M3", .microgramsPerCubicMetre),
        ("mg/m3", .milligramsPerCubicMetre), ("ppb", .partsPerBillion), ("ppm", .partsPerMillion),
        ("km/h", .kilometresPerHour), ("m/s", .metresPerSecond), ("°C", .degreesCelsius), ("C", .degreesCelsius),
        ("°F", .degreesFahrenheit), ("F", .degreesFahrenheit), ("%", .percent), ("kWh", .kilowattHours),
        ("MWh", .megawattHours), ("Wh", .wattHours), ("m3", .cubicMetres), ("L", .litres), ("t", .tonnes),
        ("kg", .kilograms), ("veh/h", .vehiclesPerHour), ("hPa", .hectopascals),
    ])
    func spellings(spelling: String, unit: MeasurementUnit) {
        #expect(MeasurementUnit(symbol: spelling) == unit)
    }

    @Test("no two units share a spelling")
    func spellingsAreUnambiguous() {
        var seen: [String: MeasurementUnit] = [:]
        for unit in MeasurementUnit.allCases {
            for spelling in [unit.symbol] + unit.aliases {
                if let other = seen[spelling.lowercased()], other != unit {
                    Issue.record("\(spelling) means both \(other) and \(unit)")
                }
                seen[spelling.lowercased()] = unit
                #expect(MeasurementUnit(symbol: spelling) == unit)
            }
        }
    }

    @Test("conversions to canonical units", arguments: [
        ("co", 2.1727, "mg/m3", 2172.7),
        ("pm25", 0.1, "mg/m³", 100),
        ("no2", 100, "ppb", 188.1799591),
        ("so2", 1, "ppb", 2.62044989775),
        ("o3", 0.07, "ppm", 137.423312883),
        ("co", 9, "ppm", 10310.4294479),
        ("wind_speed", 36, "km/h", 10),
        ("wind_speed", 6.4, "km/h", 1.77777777778),
        ("traffic_speed", 10, "m/s", 36),
        ("temperature", 104, "°F", 40),
        ("temperature", 61.5, "F", 16.3888888889),
        ("temperature", 16.1, "C", 16.1),
        ("waste_collected", 7.5, "t", 7500),
        ("electricity", 1.5, "MWh", 1500),
        ("electricity", 250, "Wh", 0.25),
        ("water", 1500, "L", 1.5),
        ("pressure", 101.325, "kPa", 1013.25),
    ])
    func conversions(quantity: String, value: Double, unit: String, expected: Double) throws {
        let measurement = try MeasurementParser.measurement(value, quantity: quantity, unit: unit)
        #expect(measurement.value == expected)
        #expect(measurement.unit == QuantityRegistry.quantity(quantity)?.canonicalUnit.symbol)
    }

    @Test("ppb conversion is the documented formula")
    func ppbFormula() throws {
        let no2 = try #require(QuantityRegistry.quantity("no2"))
        let value = try no2.toCanonical(53, from: .partsPerBillion)
        #expect(abs(value - 53 * 46.01 / 24.45) < 1e-9)
        #expect(try no2.convert(value, from: .microgramsPerCubicMetre, to: .partsPerBillion) == 53)
        let wind = try #require(QuantityRegistry.quantity("wind_speed"))
        #expect(try wind.convert(10, from: .metresPerSecond, to: .kilometresPerHour) == 36)
        #expect(try wind.convert(36, from: .kilometresPerHour, to: .metresPerSecond) == 10)
    }

    @Test("cells that carry their unit", arguments: [
        ("6.4 km/h", "wind_speed", "km/h", 1.77777777778, "m/s"),
        ("14.0 km/h", "wind_speed", "km/h", 3.88888888889, "m/s"),
        ("61%", "humidity", "%", 61, "%"),
        ("16.1°C", "temperature", "°C", 16.1, "°C"),
        ("  12 ", "pm25", "ug/m3", 12, "µg/m³"),
        ("2.1727", "co", "mg/m3", 2172.7, "µg/m³"),
        ("70.5", "pm25", nil, 70.5, "µg/m³"),
        ("-3.5 °C", "temperature", "°C", -3.5, "°C"),
        ("1e2", "pm10", "ug/m3", 100, "µg/m³"),
        ("61 %", "humidity", nil, 61, "%"),
    ] as [(String, String, String?, Double, String)])
    func cells(text: String, quantity: String, declared: String?, value: Double, unit: String) throws {
        let measurement = try #require(try MeasurementParser.parse(text, quantity: quantity, declaredUnit: declared))
        #expect(measurement.value == value)
        #expect(measurement.unit == unit)
        #expect(measurement.quantity == quantity)
    }

    @Test("missing values are not errors", arguments: ["", "N/A", "n/a", "  ", "NA", "-"])
    func missing(text: String) throws {
        #expect(try MeasurementParser.parse(text, quantity: "pm25", declaredUnit: "ug/m3") == nil)
    }

    @Test("typed errors")
    func errors() {
        #expect(throws: MeasurementError.unknownQuantity("pm1")) {
            try MeasurementParser.parse("3", quantity: "pm1", declaredUnit: nil)
        }
        #expect(throws: MeasurementError.notANumber("abc")) {
            try MeasurementParser.parse("abc", quantity: "pm25", declaredUnit: nil)
        }
        #expect(throws: MeasurementError.notANumber("16,1")) {
            try MeasurementParser.parse("16,1", quantity: "temperature", declaredUnit: nil)
        }
        #expect(throws: MeasurementError.notFinite("NaN")) {
            try MeasurementParser.parse("NaN", quantity: "pm25", declaredUnit: nil)
        }
        #expect(throws: MeasurementError.notFinite("1e999")) {
            try MeasurementParser.parse("1e999", quantity: "pm25", declaredUnit: nil)
        }
        do {
            _ = try MeasurementParser.parse("12 km/h", quantity: "pm25", declaredUnit: nil)
            Issue.record("accepted km/h for pm25")
        } catch {
            guard case .unitNotConvertible(let unit, let quantity, let accepted) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(unit == "km/h" && quantity == "pm25" && accepted == ["µg/m³", "mg/m³"])
            #expect(error.description == "unit 'km/h' cannot be used for pm25 (accepted: µg/m³, mg/m³)")
        }
        #expect(throws: MeasurementError.self) { try MeasurementParser.parse("5 ppb", quantity: "pm25", declaredUnit: nil) }
        do {
            _ = try MeasurementParser.parse("161%", quantity: "humidity", declaredUnit: nil)
            Issue.record("accepted 161 %")
        } catch {
            #expect(error == .outOfRange(quantity: "humidity", value: 161, unit: "%", range: 0...100))
            #expect(error.description.contains("plausible range"))
        }
        #expect(throws: MeasurementError.self) { try MeasurementParser.measurement(-1, quantity: "pm25", unit: "ug/m3") }
    }

    @Test("quantity aliases")
    func aliases() {
        #expect(QuantityRegistry.quantity("PM2.5")?.id == "pm25")
        #expect(QuantityRegistry.quantity("aqi")?.id == "us_aqi")
        #expect(QuantityRegistry.quantity("nope") == nil)
        #expect(Set(QuantityRegistry.all.map(\.id)).count == QuantityRegistry.all.count)
    }
}
